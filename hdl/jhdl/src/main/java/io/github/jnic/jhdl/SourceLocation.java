package io.github.jnic.jhdl;

/** Where in the Java sources a piece of hardware was created or assigned, as {@code Foo.java:42}. */
public record SourceLocation(String file, int line) {
    static final SourceLocation UNKNOWN = new SourceLocation("unknown", 0);

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
