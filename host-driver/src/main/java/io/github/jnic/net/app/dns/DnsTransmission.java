package io.github.jnic.net.app.dns;

/**
 * A message a resolver wants sent. Over UDP: from local port {@code localPort} to
 * {@code server:serverPort}; the answer goes back through {@code receiveUdp}. Over TCP
 * ({@code tcp}): open a connection to the server, write {@code message} (already framed with its
 * length), and hand the one framed answer (unframed with {@link DnsStream}) to {@code receiveTcp}
 * with this {@code exchange} id, or report {@code tcpFailed}.
 */
public record DnsTransmission(long exchange, boolean tcp, int localPort, int server, int serverPort, byte[] message) {}
