package io.github.jnic.net.icmp;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.ip.Ipv4Layer;
import io.github.jnic.net.ip.Ipv4Output;
import io.github.jnic.net.ip.Ipv4Transport;
import io.github.jnic.net.stats.Counter;
import io.github.jnic.net.stats.Counters;
import io.github.jnic.net.wire.IcmpMessage;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.Ipv4Header;
import java.util.HashMap;
import java.util.Map;

/**
 * ICMP (RFC 792) for a host: answers echo requests, delivers echo replies to {@link EchoListener}s,
 * hands received errors to the transport whose datagram they quote, and sends destination
 * unreachable and time exceeded on the IP layer's behalf, rate limited by a token bucket (and
 * never about an ICMP error, a broadcast or multicast, or a non-first fragment). Stack thread only.
 */
public final class IcmpLayer implements Ipv4Transport, Ipv4Layer.ErrorSender {
    /** As much of the offending datagram as fits in 576 bytes (RFC 1812 4.3.2.3). */
    private static final int MAX_QUOTE = 576 - Ipv4Header.MIN_LENGTH - IcmpMessage.HEADER_LENGTH;

    private final Ipv4Layer ip;
    private final IcmpMessage msg = new IcmpMessage();
    private final IcmpMessage quotedIcmp = new IcmpMessage();
    private final Ipv4Header quoted = new Ipv4Header();
    private final Map<Integer, EchoListener> echoListeners = new HashMap<>();
    private IcmpErrorListener[] errorListeners = new IcmpErrorListener[0];
    private boolean answerBroadcastEcho;

    // Token bucket for errors we send.
    private long tokensPerSecond = 100;
    private long burst = 20;
    private long tokens = burst;
    private long lastRefill = Long.MIN_VALUE;

    private final Counter echoRequests, echoReplies, errorsReceived, errorsSent;
    private final Counter dropTruncated, dropChecksum, dropBadQuote, dropUnknownType, dropEchoBroadcast,
            dropNoListener, dropRateLimited, dropErrorFilter;

    public IcmpLayer(Ipv4Layer ip, Counters counters) {
        this.ip = ip;
        String l = "icmp";
        echoRequests = counters.stat(l, "echo-requests-answered", "echo requests answered");
        echoReplies = counters.stat(l, "echo-replies", "echo replies received");
        errorsReceived = counters.stat(l, "errors-received", "errors received and handed to a transport");
        errorsSent = counters.stat(l, "errors-sent", "destination unreachable / time exceeded sent");
        dropTruncated = counters.drop(l, "truncated", "message shorter than 8 bytes");
        dropChecksum = counters.drop(l, "bad-checksum", "checksum wrong");
        dropBadQuote = counters.drop(l, "bad-quote", "error whose quoted datagram is too short or not from us");
        dropUnknownType = counters.drop(l, "unhandled-type", "type this host does not act on");
        dropEchoBroadcast = counters.drop(l, "echo-to-broadcast", "echo request to a broadcast or multicast address (ignored)");
        dropNoListener = counters.drop(l, "echo-reply-unexpected", "echo reply nobody waits for");
        dropRateLimited = counters.drop(l, "error-rate-limited", "error not sent: rate limit");
        dropErrorFilter = counters.drop(l, "error-suppressed", "error not sent: about an ICMP error, a fragment or a bad source");
    }

    @Override public int protocol() { return Ipv4Header.PROTO_ICMP; }

    /** Errors per second and burst size of the send rate limit. */
    public void setRateLimit(long perSecond, long burst) {
        this.tokensPerSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Whether to answer echo requests sent to broadcast/multicast addresses (off, as Linux by default). */
    public void setAnswerBroadcastEcho(boolean on) { this.answerBroadcastEcho = on; }

    public void addEchoListener(int identifier, EchoListener l) { echoListeners.put(identifier & 0xffff, l); }

    public void removeEchoListener(int identifier) { echoListeners.remove(identifier & 0xffff); }

    /** Adds a listener that hears every received error with its reporter (traceroute). */
    public void addErrorListener(IcmpErrorListener l) {
        IcmpErrorListener[] a = java.util.Arrays.copyOf(errorListeners, errorListeners.length + 1);
        a[errorListeners.length] = l;
        errorListeners = a;
    }

    public void removeErrorListener(IcmpErrorListener l) {
        errorListeners = java.util.Arrays.stream(errorListeners).filter(x -> x != l).toArray(IcmpErrorListener[]::new);
    }

    // ---- receive ---------------------------------------------------------------------------

    @Override public void receive(PacketBuffer seg, int src, int dst, long now) {
        try {
            handle(seg, src, dst, now);
        } finally {
            seg.release();
        }
    }

    private void handle(PacketBuffer seg, int src, int dst, long now) {
        int len = seg.length();
        if (len < IcmpMessage.HEADER_LENGTH) { dropTruncated.increment(); return; }
        msg.wrap(seg.data(), seg.start());
        if (!msg.checksumValid(len)) { dropChecksum.increment(); return; }
        int type = msg.type();
        switch (type) {
            case IcmpMessage.ECHO_REQUEST -> answerEcho(seg, src, dst, len);
            case IcmpMessage.ECHO_REPLY -> {
                EchoListener l = echoListeners.get(msg.identifier());
                if (l == null) { dropNoListener.increment(); return; }
                echoReplies.increment();
                l.reply(src, msg.sequence(), seg.data(), msg.bodyOffset(), len - IcmpMessage.HEADER_LENGTH, now);
            }
            case IcmpMessage.DEST_UNREACHABLE, IcmpMessage.TIME_EXCEEDED, IcmpMessage.PARAMETER_PROBLEM,
                 IcmpMessage.SOURCE_QUENCH -> deliverError(seg, src, type, msg.code(), len, now);
            default -> dropUnknownType.increment();
        }
    }

    private void answerEcho(PacketBuffer seg, int src, int dst, int len) {
        if (ip.isBroadcastOrMulticast(dst) && !answerBroadcastEcho) { dropEchoBroadcast.increment(); return; }
        PacketBuffer reply = ip.allocate(len);
        int at = reply.append(len);
        System.arraycopy(seg.data(), seg.start(), reply.data(), at, len);
        reply.data()[at] = IcmpMessage.ECHO_REPLY;
        IcmpMessage.fillChecksum(reply.data(), at, len);
        echoRequests.increment();
        int from = ip.isLocalAddress(dst) ? dst : 0;
        ip.send(reply, from, src, Ipv4Header.PROTO_ICMP, -1, 0, false);
    }

    private void deliverError(PacketBuffer seg, int reporter, int type, int code, int len, long now) {
        byte[] d = seg.data();
        int q = msg.bodyOffset();
        int avail = len - IcmpMessage.HEADER_LENGTH;
        if (avail < Ipv4Header.MIN_LENGTH) { dropBadQuote.increment(); return; }
        quoted.wrap(d, q);
        int ihl = quoted.headerLength();
        if (quoted.version() != 4 || ihl < Ipv4Header.MIN_LENGTH || avail < ihl + 8 || !ip.isLocalAddress(quoted.source())) {
            dropBadQuote.increment();
            return;
        }
        int proto = quoted.protocol();
        Ipv4Transport t = ip.transport(proto);
        if (t == null) { dropBadQuote.increment(); return; }   // counted once: not also as received
        errorsReceived.increment();
        if (type == IcmpMessage.DEST_UNREACHABLE && code == IcmpMessage.CODE_FRAGMENTATION_NEEDED) {
            ip.learnPathMtu(quoted.destination(), msg.nextHopMtu(), quoted.totalLength());   // before the transport hears of it
        }
        for (IcmpErrorListener l : errorListeners) l.icmpError(reporter, type, code, quoted.destination(), proto, d, q + ihl, avail - ihl, now);
        t.icmpError(type, code, quoted.source(), quoted.destination(), d, q + ihl, avail - ihl, now);
    }

    // ---- send ------------------------------------------------------------------------------

    /** Sends an echo request; the reply goes to the {@link EchoListener} registered for {@code identifier}. */
    public Ipv4Output.SendResult sendEcho(int dst, int identifier, int sequence, byte[] data, int off, int len) {
        return sendEcho(dst, identifier, sequence, data, off, len, -1);
    }

    /** {@link #sendEcho} with a time to live ({@code -1}: the default), for traceroute's probes. */
    public Ipv4Output.SendResult sendEcho(int dst, int identifier, int sequence, byte[] data, int off, int len, int ttl) {
        PacketBuffer b = ip.allocate(IcmpMessage.HEADER_LENGTH + len);
        int at = b.append(IcmpMessage.HEADER_LENGTH + len);
        IcmpMessage.writeHeader(b.data(), at, IcmpMessage.ECHO_REQUEST, 0, ((identifier & 0xffff) << 16) | (sequence & 0xffff));
        System.arraycopy(data, off, b.data(), at + IcmpMessage.HEADER_LENGTH, len);
        IcmpMessage.fillChecksum(b.data(), at, IcmpMessage.HEADER_LENGTH + len);
        return ip.send(b, 0, dst, Ipv4Header.PROTO_ICMP, ttl, 0, false);
    }

    @Override public void sendError(int type, int code, int info, byte[] data, int ipOff, int length, long now) {
        quoted.wrap(data, ipOff);
        int src = quoted.source();
        int ihl = quoted.headerLength();
        if (src == 0 || Ipv4Address.isBadSource(src) || ip.isBroadcastOrMulticast(src) || quoted.fragmentOffset() != 0
                || length < ihl || isIcmpError(data, ipOff, ihl, length)) {
            dropErrorFilter.increment();
            return;
        }
        if (!takeToken(now)) { dropRateLimited.increment(); return; }
        int quote = Math.min(length, MAX_QUOTE);
        PacketBuffer b = ip.allocate(IcmpMessage.HEADER_LENGTH + quote);
        int at = b.append(IcmpMessage.HEADER_LENGTH + quote);
        IcmpMessage.writeHeader(b.data(), at, type, code, info);
        System.arraycopy(data, ipOff, b.data(), at + IcmpMessage.HEADER_LENGTH, quote);
        IcmpMessage.fillChecksum(b.data(), at, IcmpMessage.HEADER_LENGTH + quote);
        int dst = quoted.destination();
        int from = ip.isLocalAddress(dst) ? dst : 0;
        errorsSent.increment();
        ip.send(b, from, src, Ipv4Header.PROTO_ICMP, -1, 0, false);
    }

    private static boolean isIcmpError(byte[] d, int ipOff, int ihl, int length) {
        if ((d[ipOff + 9] & 0xff) != Ipv4Header.PROTO_ICMP) return false;
        if (length < ihl + 1) return true;   // cannot tell: stay silent
        int type = d[ipOff + ihl] & 0xff;
        return IcmpMessage.isError(type);
    }

    private boolean takeToken(long now) {
        if (lastRefill == Long.MIN_VALUE) lastRefill = now;
        long elapsed = now - lastRefill;
        long earned = elapsed * tokensPerSecond / 1_000_000_000L;
        if (earned > 0) {
            tokens = Math.min(burst, tokens + earned);
            lastRefill += earned * 1_000_000_000L / tokensPerSecond;
        }
        if (tokens == 0) return false;
        tokens--;
        return true;
    }

    // ---- Ipv4Transport ---------------------------------------------------------------------

    /** An error about one of our ICMP messages: if it quotes an echo request, its listener hears of it. */
    @Override public void icmpError(int type, int code, int originalSrc, int originalDst, byte[] q, int off, int len, long now) {
        quotedIcmp.wrap(q, off);
        if (quotedIcmp.type() != IcmpMessage.ECHO_REQUEST) return;
        EchoListener l = echoListeners.get(quotedIcmp.identifier());
        if (l != null) l.error(type, code, originalDst, quotedIcmp.sequence(), now);
    }

    @Override public long poll(long now) { return Long.MAX_VALUE; }

}
