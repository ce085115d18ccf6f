package io.jenkins.plugins.ecsdeploy.engine;

import io.jenkins.plugins.ecsdeploy.simulator.MotoServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.internal.EventHint;
import io.jenkins.plugins.ecsdeploy.engine.internal.EventQueue;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The engine's events consumer against an SQS we did not write: moto_server's (docs/simulator.md "SQS" says why the
 * simulator has its own). Same client code, same wire protocol (AWS JSON 1.0): a message holding an ECS hook event
 * becomes a hint and is deleted. moto_server from PATH; skipped with a reason when missing, failing when CI=true.
 */
class MotoSqsConformanceTest {
    static MotoServer moto;
    static final StaticCredentialsProvider CREDS = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void anEcsHookEventInMotosQueueBecomesAHintAndIsDeleted() throws Exception {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDS).build(); SystemScheduler scheduler = new SystemScheduler()) {
            String url = sqs.createQueue(b -> b.queueName("ecs-events")).queueUrl();
            String arn = "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/abc";
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"version\":\"0\",\"detail-type\":\"ECS Hook State Change\","
                    + "\"source\":\"aws.ecs\",\"account\":\"123456789012\",\"region\":\"us-east-1\",\"resources\":[\"" + arn
                    + "\"],\"detail\":{\"eventName\":\"HOOK_AWAITING_ACTION\",\"hookId\":\"ecs-pause-h1\","
                    + "\"serviceDeploymentArn\":\"" + arn + "\"}}"));
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"source\":\"aws.s3\"}"));
            CompletableFuture<List<EventHint>> got = new CompletableFuture<>();
            EngineConfig config = EngineConfig.builder().region("us-east-1").eventsQueueUrl(url).build();
            try (AutoCloseable sub = EventQueue.subscribe(config, CREDS, scheduler, new EventQueue.Listener() {
                @Override
                public void hints(List<EventHint> hints) {
                    if (!hints.isEmpty()) {
                        got.complete(hints);
                    }
                }

                @Override
                public void healthy(boolean healthy) {}
            })) {
                List<EventHint> hints = got.get(30, TimeUnit.SECONDS);
                assertEquals(new EventHint(arn, EventHint.serviceOf(arn), "ecs-pause-h1", "HOOK_AWAITING_ACTION"), hints.get(0));
                long deadline = System.nanoTime() + 20_000_000_000L;
                int left = Integer.MAX_VALUE;
                while (left > 0 && System.nanoTime() < deadline) {
                    var a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                    left = Integer.parseInt(a.get("ApproximateNumberOfMessages"))
                            + Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"));
                    Thread.sleep(100); // test-side wait for the consumer thread's DeleteMessageBatch
                }
                assertEquals(0, left, "both messages deleted, the foreign one too");
                assertTrue(EventQueue.open(url).foreignMessages() >= 1);
            }
        }
    }
}
