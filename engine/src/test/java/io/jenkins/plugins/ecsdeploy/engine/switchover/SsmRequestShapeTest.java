package io.jenkins.plugins.ecsdeploy.engine.switchover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * What goes over the wire for a switchover flag: SsmFlagStore's calls as the SDK's own SSM model marshals them (JSON 1.1),
 * captured by a loopback server and compared with the request syntax of the GetParameter and PutParameter API reference
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html, .../API_PutParameter.html):
 * target {@code AmazonSSM.GetParameter} with Name and WithDecryption false; {@code AmazonSSM.PutParameter} with Name, Value
 * and Overwrite true and no Type (an existing parameter keeps its type); the error {@code ParameterNotFound} read as
 * "no such flag"; a SecureString reported as secure.
 */
class SsmRequestShapeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    HttpServer server;
    final List<String[]> requests = Collections.synchronizedList(new ArrayList<>());
    volatile String parameterType = "String";
    SsmClient ssm;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            requests.add(new String[] {target, ex.getRequestHeaders().getFirst("Content-Type"), body});
            int status = 200;
            String answer;
            if ("AmazonSSM.GetParameter".equals(target) && body.contains("/missing")) {
                status = 400;
                answer = "{\"__type\":\"ParameterNotFound\",\"message\":\"\"}";
            } else if ("AmazonSSM.GetParameter".equals(target)) {
                answer = "{\"Parameter\":{\"Name\":\"/app/worker/active-revision\",\"Type\":\"" + parameterType
                        + "\",\"Value\":\"worker:7\",\"Version\":3}}";
            } else {
                answer = "{\"Version\":4,\"Tier\":\"Standard\"}";
            }
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        ssm = SsmClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build();
    }

    @AfterEach
    void stop() {
        ssm.close();
        server.stop(0);
    }

    @Test
    void readIsGetParameterWithoutDecryptionAndWriteIsPutParameterWithOverwriteAndNoType() throws Exception {
        SsmFlagStore store = new SsmFlagStore(ssm);
        FlagStore.Flag f = store.read("/app/worker/active-revision");
        assertEquals("worker:7", f.value());
        assertFalse(f.secure());
        store.write("/app/worker/active-revision", "worker:8");

        String[] get = requests.get(0);
        assertEquals("AmazonSSM.GetParameter", get[0]);
        assertEquals("application/x-amz-json-1.1", get[1]);
        JsonNode g = JSON.readTree(get[2]);
        assertEquals("/app/worker/active-revision", g.get("Name").asText());
        assertFalse(g.get("WithDecryption").asBoolean(), "a flag is no secret: never decrypted");

        String[] put = requests.get(1);
        assertEquals("AmazonSSM.PutParameter", put[0]);
        JsonNode p = JSON.readTree(put[2]);
        assertEquals("/app/worker/active-revision", p.get("Name").asText());
        assertEquals("worker:8", p.get("Value").asText());
        assertTrue(p.get("Overwrite").asBoolean());
        assertNull(p.get("Type"), "no Type: the existing parameter keeps its own");
        assertEquals(3, p.size(), () -> "only Name, Value and Overwrite: " + p);
    }

    @Test
    void aMissingParameterReadsAsNoFlagAndASecureStringAsSecure() {
        SsmFlagStore store = new SsmFlagStore(ssm);
        assertNull(store.read("/app/missing"));
        parameterType = "SecureString";
        assertTrue(store.read("/app/worker/active-revision").secure());
    }
}
