package io.github.jnic.jhdl;

/**
 * One design error found while building or checking a design.
 *
 * @param kind        what is wrong (see {@link Kind})
 * @param subject     hierarchical name of the signal (or expression) concerned, e.g. {@code Top.rx.count}
 * @param location    the Java line where it was created or assigned
 * @param explanation what to do about it
 */
public record Problem(Kind kind, String subject, SourceLocation location, String explanation) {

    public enum Kind {
        WIDTH_MISMATCH("width mismatch"),
        UNDRIVEN("undriven"),
        MULTIPLE_DRIVERS("multiple drivers"),
        LATCH("latch"),
        COMBINATIONAL_LOOP("combinational loop"),
        CLOCK_DOMAIN_CROSSING("clock domain crossing"),
        HIERARCHY("hierarchy"),
        ILLEGAL("illegal");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    @Override
    public String toString() {
        return kind + ": " + subject + " at " + location + " — " + explanation;
    }
}
