package io.jenkins.plugins.ecsdeploy.engine.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * What goes over the wire: the engine's change batches as the SDK's own Route 53 model marshals them (REST-XML),
 * captured by a loopback server and compared with the request syntax of the ChangeResourceRecordSets and GetChange API
 * reference: POST /2013-04-01/hostedzone/{Id}/rrset/ with a ChangeBatch of Changes; a weighted record carries
 * SetIdentifier and Weight; an alias record AliasTarget (HostedZoneId, DNSName, EvaluateTargetHealth) and no TTL; a
 * value record TTL and ResourceRecords; GET /2013-04-01/change/{Id} with the id alone.
 */
class Route53RequestShapeTest {
    HttpServer server;
    final List<String[]> requests = Collections.synchronizedList(new ArrayList<>());
    Route53Client route53;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new String[] {ex.getRequestMethod(), ex.getRequestURI().getPath(), body});
            String root = ex.getRequestURI().getPath().contains("/change/") ? "GetChangeResponse" : "ChangeResourceRecordSetsResponse";
            byte[] answer = ("<?xml version=\"1.0\"?><" + root + " xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeInfo>"
                    + "<Id>/change/C2EXAMPLE</Id><Status>PENDING</Status><SubmittedAt>2026-12-02T14:00:00Z</SubmittedAt>"
                    + "</ChangeInfo></" + root + ">").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/xml");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        route53 = Route53Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.AWS_GLOBAL).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .build();
    }

    @AfterEach
    void stop() {
        route53.close();
        server.stop(0);
    }

    static Element child(Element e, String name) {
        var l = e.getElementsByTagName(name);
        assertTrue(l.getLength() > 0, "no <" + name + "> in <" + e.getTagName() + ">");
        return (Element) l.item(0);
    }

    @Test
    void aStepIsOneBatchOfTwoWeightedUpsertsAnAliasWithoutTtlAndAValueWithTtl() throws Exception {
        Route53Weights w = new Route53Weights(route53);
        var batch = Route53Weights.batch(null, "api.example.com.", "A", 60, "blue", ResolvedTarget.ofValue("192.0.2.10"), 90,
                "green", ResolvedTarget.ofAlias("green-alb-1.eu-west-1.elb.amazonaws.com", "Z32O12XQLNTSW2", true), 10, "ecs-deploy cutover c1");
        assertEquals("C2EXAMPLE", w.change("Z0123456789", batch), "the /change/ prefix is taken off");
        String[] req = requests.get(0);
        assertEquals("POST", req[0]);
        assertEquals("/2013-04-01/hostedzone/Z0123456789/rrset/", req[1]);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(req[2].getBytes(StandardCharsets.UTF_8)));
        Element root = d.getDocumentElement();
        assertEquals("ChangeResourceRecordSetsRequest", root.getTagName());
        assertEquals("https://route53.amazonaws.com/doc/2013-04-01/", root.getAttribute("xmlns"));
        Element cb = child(root, "ChangeBatch");
        assertEquals("ecs-deploy cutover c1", child(cb, "Comment").getTextContent());
        var changes = cb.getElementsByTagName("Change");
        assertEquals(2, changes.getLength(), "both weights in one batch: Route 53 applies it all or nothing");
        Element blue = (Element) changes.item(0);
        assertEquals("UPSERT", child(blue, "Action").getTextContent());
        Element brr = child(blue, "ResourceRecordSet");
        assertEquals("api.example.com.", child(brr, "Name").getTextContent());
        assertEquals("A", child(brr, "Type").getTextContent());
        assertEquals("blue", child(brr, "SetIdentifier").getTextContent());
        assertEquals("90", child(brr, "Weight").getTextContent());
        assertEquals("60", child(brr, "TTL").getTextContent());
        assertEquals("192.0.2.10", child(child(child(brr, "ResourceRecords"), "ResourceRecord"), "Value").getTextContent());
        Element grr = child((Element) changes.item(1), "ResourceRecordSet");
        assertEquals("10", child(grr, "Weight").getTextContent());
        Element alias = child(grr, "AliasTarget");
        assertEquals("Z32O12XQLNTSW2", child(alias, "HostedZoneId").getTextContent());
        assertEquals("green-alb-1.eu-west-1.elb.amazonaws.com", child(alias, "DNSName").getTextContent());
        assertEquals("true", child(alias, "EvaluateTargetHealth").getTextContent());
        assertEquals(0, grr.getElementsByTagName("TTL").getLength(), "an alias record carries no TTL");
        assertEquals(0, grr.getElementsByTagName("ResourceRecords").getLength());

        assertFalse(w.inSync("C2EXAMPLE"));
        assertEquals("GET", requests.get(1)[0]);
        assertEquals("/2013-04-01/change/C2EXAMPLE", requests.get(1)[1]);
    }
}
