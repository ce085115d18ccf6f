package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The event a Lambda hook receives (Lambda-hook page): executionId, lifecycleStage, resourceArn (the service
 * deployment ARN), executionDetails {serviceArn, targetServiceRevisionArn, testTrafficWeights,
 * productionTrafficWeights} and hookDetails (the hook's configured details, merged with what an IN_PROGRESS
 * answer returned). {@link #json()} is the exact JSON document a real function would get.
 */
public record LambdaEvent(String functionArn, String executionId, String lifecycleStage, String resourceArn,
                          String serviceArn, String targetServiceRevisionArn,
                          Map<String, Double> testTrafficWeights, Map<String, Double> productionTrafficWeights,
                          JsonNode hookDetails, int invocation) {

    /** The event as the function's JSON input. */
    public ObjectNode json() {
        ObjectNode e = Json.obj();
        e.put("executionId", executionId);
        e.put("lifecycleStage", lifecycleStage);
        e.put("resourceArn", resourceArn);
        ObjectNode d = e.putObject("executionDetails");
        d.put("serviceArn", serviceArn);
        d.put("targetServiceRevisionArn", targetServiceRevisionArn);
        ObjectNode t = d.putObject("testTrafficWeights");
        testTrafficWeights.forEach(t::put);
        ObjectNode p = d.putObject("productionTrafficWeights");
        productionTrafficWeights.forEach(p::put);
        if (hookDetails != null && !hookDetails.isNull()) {
            e.set("hookDetails", hookDetails.deepCopy());
        }
        return e;
    }
}
