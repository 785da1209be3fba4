package io.github.jnic.jhdl.lib.axi;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Arbiter;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.StreamFifo;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins several AXI4 masters onto one master port, as an interconnect does: a master's IDs are its
 * own, and the join puts the master's number above them ({@code out}'s IDs are
 * {@code ceil(log2(masters))} bits wider), so responses go home by their ID alone and nothing is
 * remembered per transaction.
 *
 * <ul>
 *   <li>AR and AW: round-robin ({@link Arbiter}); an address, once offered, holds until taken.</li>
 *   <li>W: AXI4 write data carries no ID, so beats follow the order in which write addresses were
 *       granted: each granted AW queues its master's number ({@value #WRITE_ORDER} deep), and W is
 *       taken from the master at the head of that queue until its beat with {@code last}. A master
 *       must therefore offer a burst's data after (or with) its address, as every engine here
 *       does, and never make the address wait for the data.</li>
 *   <li>R and B: to the master named by the ID's upper bits, with the master's own ID below them.</li>
 * </ul>
 */
public class Axi4Join extends Module {
    /** Write bursts whose data may be outstanding at once. */
    public static final int WRITE_ORDER = 8;

    public final List<Axi4> masters = new ArrayList<>();
    public final Axi4 out;

    /** {@code count} masters shaped like {@code type}. */
    public Axi4Join(Axi4 type, int count) {
        if (count < 2) throw new IllegalArgumentException("a join needs at least two masters");
        int k = type.idWidth;
        int indexBits = 32 - Integer.numberOfLeadingZeros(count - 1);
        for (int i = 0; i < count; i++) masters.add(input(type.cloneType()).named("m" + i));
        out = output(new Axi4(k + indexBits, type.addressWidth, type.dataWidth)).named("out");

        // ---- addresses ----
        Arbiter<Axi4.Address> reads = new Arbiter<>(Stream.of(new Axi4.Address(k, type.addressWidth)), count).named("reads");
        Arbiter<Axi4.Address> writes = new Arbiter<>(Stream.of(new Axi4.Address(k, type.addressWidth)), count).named("writes");
        for (int i = 0; i < count; i++) {
            masters.get(i).ar.connectTo(reads.inputs.get(i));
            masters.get(i).aw.connectTo(writes.inputs.get(i));
        }
        address(out.ar.payload, reads.out.payload, reads.grant);
        out.ar.valid.assign(reads.out.valid);
        reads.out.ready.assign(out.ar.ready);

        StreamFifo<UInt> order = new StreamFifo<>(Stream.of(uint(indexBits)), WRITE_ORDER).named("writeOrder");
        address(out.aw.payload, writes.out.payload, writes.grant);
        out.aw.valid.assign(writes.out.valid.and(order.in.ready));
        writes.out.ready.assign(out.aw.ready.and(order.in.ready));
        order.in.valid.assign(out.aw.fire());
        order.in.payload.assign(writes.grant);

        // ---- write data, in the order of the granted addresses ----
        UInt owner = order.out.payload.named("writeOwner");
        out.w.valid.assign(false);
        out.w.payload.connectFrom(masters.get(0).w.payload);
        out.w.last.assign(masters.get(0).w.last);
        for (int i = 0; i < count; i++) {
            Axi4 m = masters.get(i);
            Bool mine = order.out.valid.and(owner.eq(i)).named("writeOwner" + i);
            when(mine, () -> {
                out.w.valid.assign(m.w.valid);
                out.w.payload.connectFrom(m.w.payload);
                out.w.last.assign(m.w.last);
            });
            m.w.ready.assign(mine.and(out.w.ready));
        }
        order.out.ready.assign(out.w.fire().and(out.w.last));

        // ---- responses, home by the ID's upper bits ----
        UInt rMaster = out.r.payload.id.slice(k + indexBits - 1, k).named("rMaster");
        UInt bMaster = out.b.payload.id.slice(k + indexBits - 1, k).named("bMaster");
        Bool rReady = FALSE, bReady = FALSE;
        for (int i = 0; i < count; i++) {
            Axi4 m = masters.get(i);
            Bool rHome = rMaster.eq(i).named("rHome" + i);
            Bool bHome = bMaster.eq(i).named("bHome" + i);
            m.r.valid.assign(out.r.valid.and(rHome));
            m.r.payload.id.assign(out.r.payload.id.slice(k - 1, 0));
            m.r.payload.data.assign(out.r.payload.data);
            m.r.payload.resp.assign(out.r.payload.resp);
            m.r.last.assign(out.r.last);
            m.b.valid.assign(out.b.valid.and(bHome));
            m.b.payload.id.assign(out.b.payload.id.slice(k - 1, 0));
            m.b.payload.resp.assign(out.b.payload.resp);
            rReady = rReady.or(rHome.and(m.r.ready));
            bReady = bReady.or(bHome.and(m.b.ready));
        }
        out.r.ready.assign(rReady);
        out.b.ready.assign(bReady);
    }

    /** An address of the joined port: the granted master's, its number above its ID. */
    private static void address(Axi4.Address to, Axi4.Address from, UInt master) {
        to.id.assign(cat(master, from.id).asUInt());
        to.addr.assign(from.addr);
        to.len.assign(from.len);
        to.size.assign(from.size);
        to.burst.assign(from.burst);
    }
}
