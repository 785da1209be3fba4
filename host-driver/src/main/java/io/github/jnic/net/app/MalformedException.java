package io.github.jnic.net.app;

/**
 * Input that breaks a protocol's rules, with the reason (one constant of the protocol's own reject
 * enum) under which an engine counts it in its {@link Rejects}. Codecs throw it; engines catch it,
 * count it and drop or answer the input, so it never escapes an engine.
 */
public final class MalformedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Enum<?> reason;

    public MalformedException(Enum<?> reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public Enum<?> reason() {
        return reason;
    }
}
