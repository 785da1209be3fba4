package io.github.jnic.net.tools;

import io.github.jnic.net.wire.IcmpMessage;
import io.github.jnic.net.wire.Ipv4Address;

/**
 * The answer to one traceroute probe: who answered ({@code 0} when nobody did), how, and after how
 * long on the stack's clock.
 */
public record TraceProbe(int ttl, int address, Answer answer, int icmpCode, long rttNanos) {

    /** How a probe was answered. */
    public enum Answer {
        /** A router on the way: ICMP time exceeded in transit. */
        TIME_EXCEEDED,
        /** The target: port unreachable (UDP probes) or echo reply (ICMP probes). */
        REACHED,
        /** Destination unreachable for another reason (host, network, protocol, filtered, ...): the trace ends. */
        UNREACHABLE,
        /** No answer within the wait. */
        TIMEOUT
    }

    static TraceProbe timeout(int ttl) { return new TraceProbe(ttl, 0, Answer.TIMEOUT, -1, -1); }

    public boolean answered() { return answer != Answer.TIMEOUT; }

    /** Whether the trace stops after this probe's hop. */
    public boolean isFinal() { return answer == Answer.REACHED || answer == Answer.UNREACHABLE; }

    /** traceroute(8)'s annotation for an unreachable answer ({@code !H}, {@code !N}, ...), or "". */
    public String annotation() {
        if (answer != Answer.UNREACHABLE) return "";
        return switch (icmpCode) {
            case IcmpMessage.CODE_NET_UNREACHABLE, 6 -> "!N";
            case IcmpMessage.CODE_HOST_UNREACHABLE, 7 -> "!H";
            case IcmpMessage.CODE_PROTOCOL_UNREACHABLE -> "!P";
            case IcmpMessage.CODE_PORT_UNREACHABLE -> "!p";   // a port unreachable from a router, not the target
            case IcmpMessage.CODE_FRAGMENTATION_NEEDED -> "!F";
            case 5 -> "!S";
            case 13 -> "!X";
            case 14 -> "!V";
            case 15 -> "!C";
            default -> "!<" + icmpCode + ">";
        };
    }

    public String addressText() { return Ipv4Address.toString(address); }
}
