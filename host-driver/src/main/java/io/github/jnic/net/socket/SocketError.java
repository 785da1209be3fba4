package io.github.jnic.net.socket;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * Why a socket operation failed, recorded on the stack thread (which never throws at applications)
 * and turned into the familiar {@code java.net} exception on the application's thread.
 */
public enum SocketError {
    REFUSED("Connection refused"),
    RESET("Connection reset"),
    TIMED_OUT("Connection timed out"),
    ADDRESS_IN_USE("Address already in use"),
    ADDRESS_NOT_AVAILABLE("Cannot assign requested address"),
    HOST_UNREACHABLE("No route to host"),
    NETWORK_UNREACHABLE("Network is unreachable"),
    PORT_UNREACHABLE("Port unreachable"),
    MESSAGE_TOO_LONG("Message too long"),
    NOT_CONNECTED("Socket is not connected"),
    CLOSED("Socket is closed");

    private final String message;

    SocketError(String message) { this.message = message; }

    public String message() { return message; }

    /** The exception an application sees: {@code ConnectException}, {@code BindException}, ... */
    public IOException toException(String detail) {
        String text = detail == null || detail.isEmpty() ? message : message + ": " + detail;
        return switch (this) {
            case REFUSED -> new ConnectException(text);
            case TIMED_OUT -> new SocketTimeoutException(text);
            case ADDRESS_IN_USE, ADDRESS_NOT_AVAILABLE -> new BindException(text);
            case HOST_UNREACHABLE, NETWORK_UNREACHABLE -> new NoRouteToHostException(text);
            case PORT_UNREACHABLE -> new PortUnreachableException(text);
            default -> new SocketException(text);
        };
    }
}
