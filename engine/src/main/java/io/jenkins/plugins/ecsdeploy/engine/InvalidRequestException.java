package io.jenkins.plugins.ecsdeploy.engine;

import java.util.List;
import java.util.stream.Collectors;

/** A request (or the live service it targets) does not allow the deployment; nothing was written to AWS. */
public final class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<ValidationProblem> problems;

    public InvalidRequestException(List<ValidationProblem> problems) {
        super(problems.stream().map(ValidationProblem::message).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ValidationProblem> problems() {
        return problems;
    }
}
