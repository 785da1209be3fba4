package io.github.jnic.net.tcp;

import java.io.IOException;

/** A TCP failure that names its cause ({@link #error()}). */
public class TcpException extends IOException {
    private final TcpError error;

    public TcpException(TcpError error) {
        this(error, error.message());
    }

    public TcpException(TcpError error, String message) {
        super(message);
        this.error = error;
    }

    public TcpError error() { return error; }
}
