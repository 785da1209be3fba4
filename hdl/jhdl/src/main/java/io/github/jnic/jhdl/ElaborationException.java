package io.github.jnic.jhdl;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a design, thrown together so that one run shows them all. */
public final class ElaborationException extends RuntimeException {
    private final List<Problem> problems;

    public ElaborationException(List<Problem> problems) {
        super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in the design:\n  "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
