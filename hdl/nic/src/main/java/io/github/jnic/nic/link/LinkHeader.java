package io.github.jnic.nic.link;

import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.spec.HostLink;

/** A host-link message's header fields ({@link HostLink}), as the bridge's blocks pass them on. */
public class LinkHeader extends Bundle {
    public final UInt type = uint(HostLink.TYPE.bits());
    public final UInt tag = uint(HostLink.TAG.bits());
    public final UInt seq = uint(HostLink.SEQ.bits());
    public final UInt ack = uint(HostLink.ACK.bits());
    public final UInt address = uint(HostLink.ADDRESS.bits());
    public final UInt value = uint(HostLink.VALUE.bits());
    public final UInt length = uint(HostLink.LENGTH.bits());

    /** The field of a header part, by the part (the same order as {@link HostLink#HEADER}). */
    public UInt field(HostLink.Part part) {
        return switch (part.name()) {
            case "type" -> type;
            case "tag" -> tag;
            case "seq" -> seq;
            case "ack" -> ack;
            case "address" -> address;
            case "value" -> value;
            case "length" -> length;
            default -> throw new IllegalArgumentException(part.name());
        };
    }
}
