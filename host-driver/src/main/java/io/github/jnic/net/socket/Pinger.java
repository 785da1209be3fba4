package io.github.jnic.net.socket;

import io.github.jnic.net.icmp.EchoListener;
import io.github.jnic.net.ip.Ipv4Output;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.udp.UdpLayer;
import io.github.jnic.net.wire.IcmpMessage;
import io.github.jnic.net.wire.Ipv4Address;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** ICMP echo from an application thread, like {@code ping}: one request, its round-trip time or why not. */
public final class Pinger {
    private static final AtomicInteger NEXT_ID = new AtomicInteger(0x4a00);

    private Pinger() {}

    /**
     * Sends one echo request with {@code payloadSize} bytes of patterned data to {@code dst} and waits
     * for the reply (which must carry the same data). Returns the round-trip time in nanoseconds on
     * the stack's clock (0 when the reply arrived within the same poll); throws {@code SocketTimeoutException}, or {@code NoRouteToHostException}
     * when the destination (or its next hop) is unreachable.
     */
    public static long ping(NetStack stack, InetAddress dst, int payloadSize, long timeoutMillis) throws IOException {
        if (payloadSize < 0 || payloadSize > UdpLayer.MAX_PAYLOAD) throw new IllegalArgumentException("payload size " + payloadSize);
        int target = Ipv4Address.of(dst);
        int id = NEXT_ID.getAndIncrement() & 0xffff;
        byte[] payload = new byte[payloadSize];
        for (int i = 0; i < payloadSize; i++) payload[i] = (byte) (i * 7 + id);
        CompletableFuture<Long> rtt = new CompletableFuture<>();
        long[] sentAt = new long[1];
        EchoListener listener = new EchoListener() {
            @Override public void reply(int from, int sequence, byte[] data, int off, int len, long now) {
                if (len == payloadSize && java.util.Arrays.equals(data, off, off + len, payload, 0, payloadSize)) rtt.complete(now - sentAt[0]);
            }
            @Override public void error(int type, int code, int destination, int sequence, long now) {
                SocketError e = type == IcmpMessage.DEST_UNREACHABLE && code == IcmpMessage.CODE_NET_UNREACHABLE
                        ? SocketError.NETWORK_UNREACHABLE : SocketError.HOST_UNREACHABLE;
                rtt.completeExceptionally(e.toException(Ipv4Address.toString(destination)));
            }
        };
        stack.execute(() -> {
            stack.icmp().addEchoListener(id, listener);
            sentAt[0] = stack.now();
            Ipv4Output.SendResult r = stack.icmp().sendEcho(target, id, 1, payload, 0, payloadSize);
            if (r == Ipv4Output.SendResult.NO_ROUTE) rtt.completeExceptionally(SocketError.NETWORK_UNREACHABLE.toException(dst.getHostAddress()));
        });
        try {
            return rtt.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no echo reply from " + dst.getHostAddress() + " in " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while pinging");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        } finally {
            stack.execute(() -> stack.icmp().removeEchoListener(id));
        }
    }
}
