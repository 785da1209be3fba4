package io.github.jnic.nic.rx;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Registers;

/**
 * The receive address filter and VLAN stripper, on frame beats: it passes every frame on and says
 * on the frame's last beat ({@link RxFrame} verdict bits) whether the frame is accepted and which
 * tag it had. Frames are never held here; {@link RxFrameBuffer} drops what is bad or not accepted.
 *
 * <p>Acceptance, from the destination address (the frame's first six bytes) as the 8254x decides it:
 * <ul>
 *   <li>unicast (first byte's bit 0 clear): accepted with RCTL.UPE, or when it equals an exact entry
 *       (RAL/RAH with AV);</li>
 *   <li>broadcast (all ones): accepted with RCTL.BAM or RCTL.MPE, or an exact entry;</li>
 *   <li>other multicast: accepted with RCTL.MPE, an exact entry, or when the multicast table bit
 *       chosen by RCTL.MO is set (the 12 hash bits are address bits 47:36, 46:35, 45:34 or 43:32
 *       for MO = 0..3, counting bit 0 as the first byte's bit 0; word = hash[11:5], bit = hash[4:0]);</li>
 *   <li>a frame of two beats or fewer (at most 16 bytes) is never accepted (the MAC calls it a runt
 *       anyway): the table's bit is taken into a register on the frame's second beat, a clock after
 *       the table's block RAM is read, so the RAM's output runs no further than that register.</li>
 * </ul>
 *
 * <p>With {@code vme} (CTRL.VME) a frame whose bytes 12-13 are the 802.1Q TPID 0x8100 leaves with
 * those four tag bytes removed (the rest moves up by four bytes, the frame gets four bytes shorter)
 * and VP set, the tag control information (bytes 14-15, big-endian as on the wire) in VLAN.
 * Without {@code vme} a tagged frame passes whole.
 *
 * <p>Ports: {@code in} (beats from the {@link io.github.jnic.nic.stream.Upsizer}, {@code in_user} =
 * the MAC's error flag), {@code out} ({@code out_user} = the {@link RxFrame} verdict), {@code rctl}
 * (the RCTL register's value: UPE, MPE, BAM, MO are read), {@code vme}, {@code ral_<n>}/{@code rah_<n>}
 * (the {@link Registers#RECEIVE_ADDRESSES} receive-address registers' values), and the multicast
 * table's write port {@code mtaWrite}, {@code mtaIndex} (word 0..127), {@code mtaData}: the table
 * lives here in a block RAM; the register file keeps its own copy for reads if it wants them.
 * The output is combinational from the input (back-pressure passes straight through) except for
 * the one extra beat a stripped frame may need at its end, during which {@code in_ready} is low.
 */
public class RxFilter extends Module {
    public final Stream<Beat> in = input(Stream.packets(new Beat(), 1));
    public final Stream<Beat> out = output(Stream.packets(new Beat(), RxFrame.VERDICT_WIDTH));
    public final UInt rctl = input(uint(32));
    public final Bool vme = input(bool());
    public final UInt[] ral = new UInt[Registers.RECEIVE_ADDRESSES];
    public final UInt[] rah = new UInt[Registers.RECEIVE_ADDRESSES];
    public final Bool mtaWrite = input(bool());
    public final UInt mtaIndex = input(uint(7));
    public final UInt mtaData = input(uint(32));

    static final int TPID = 0x8100;

    final Mem<UInt> mta = mem(uint(32), Registers.MTA_WORDS).named("mta");
    /** 0 for the first beat of a frame, 1 for the second, 2 after. */
    final UInt beatIndex = reg(uint(2), 0);
    final Bool acceptByAddress = reg(bool(), false);
    final Bool hashed = reg(bool(), false);
    final UInt hashBit = reg(uint(5), 0);
    /** The multicast table's bit for this frame, taken while the frame is on its second beat. */
    final Bool mtaHitKept = reg(bool(), false);
    final Bool stripping = reg(bool(), false);
    final UInt tci = reg(uint(16), 0);
    /** The four bytes waiting to go out in the low half of the next beat while stripping. */
    final UInt held = reg(uint(32), 0);
    /** A stripped frame's last four bytes or fewer, still to go out as a beat of their own. */
    final Bool extra = reg(bool(), false);
    final UInt extraKeep = reg(uint(4), 0);
    final Bool extraBad = reg(bool(), false);

    public RxFilter() {
        for (int n = 0; n < ral.length; n++) {
            ral[n] = input(uint(32));
            rah[n] = input(uint(32));
        }
        when(mtaWrite, () -> mta.write(mtaIndex, mtaData));

        UInt data = in.payload.data;
        Bool first = beatIndex.eq(0).named("first");
        Bool second = beatIndex.eq(1).named("second");

        // the destination address, on the first beat
        UInt da = data.slice(47, 0).named("da");
        Bool multicast = da.bit(0).named("multicast");
        Bool broadcast = da.andR().named("broadcast");
        Bool exact = FALSE;
        for (int n = 0; n < ral.length; n++) {
            UInt entry = field(rah[n], Registers.Rah.RAH).resize(16);
            exact = exact.or(rah[n].bit(Registers.Rah.AV.lsb()).and(da.eq(cat(entry, ral[n]).asUInt())));
        }
        Bool exactMatch = exact.named("exactMatch");
        Bool upe = rctl.bit(Registers.Rctl.UPE.lsb()), mpe = rctl.bit(Registers.Rctl.MPE.lsb()), bam = rctl.bit(Registers.Rctl.BAM.lsb());
        UInt mo = field(rctl, Registers.Rctl.MO);
        UInt top = data.slice(47, 32).named("addressTop");
        UInt hash = mux(mo.eq(0), top.slice(15, 4), mux(mo.eq(1), top.slice(14, 3), mux(mo.eq(2), top.slice(13, 2), top.slice(11, 0))))
                .named("hash");
        Bool byAddress = exactMatch.or(multicast.not().and(upe)).or(broadcast.and(bam.or(mpe)))
                .or(multicast.and(broadcast.not()).and(mpe)).named("byAddress");

        // the tag, on the second beat (frame bytes 8-15): bytes 12-13 the TPID, 14-15 the TCI
        Bool tagged = data.slice(39, 32).eq(TPID >> 8).and(data.slice(47, 40).eq(TPID & 0xFF)).named("tagged");
        Bool stripNow = second.and(vme).and(tagged).and(in.payload.keep.andR()).and(in.last.not()).named("stripNow");

        UInt[] mtaWord = new UInt[1];
        when(in.fire().and(first), () -> {
            mtaWord[0] = mta.readSync(hash.slice(11, 5));
            hashBit.next(hash.slice(4, 0));
            acceptByAddress.next(byAddress);
            hashed.next(multicast.and(broadcast.not()));
        });
        // the word read on the first beat's handshake stays on the RAM's output until the next frame's
        Bool mtaHit = mtaWord[0].named("mtaWord").and(U(32, 1).shiftLeft(hashBit)).orR().named("mtaHit");
        when(second, () -> mtaHitKept.next(mtaHit));
        // a frame ending on its first or second beat is too short whatever the registers say
        Bool accept = acceptByAddress.or(hashed.and(mtaHitKept)).and(beatIndex.eq(2)).named("accept");

        // forward path: the beat as it is, or shifted by the four tag bytes
        Bool shifting = stripping.and(first.not()).named("shifting");
        UInt inBytes4 = in.payload.keep.slice(7, 4);
        Bool spills = shifting.and(in.last).and(inBytes4.orR()).named("spills");
        Bits verdictNormal = verdict(in.user.asBool(), accept, stripping, tci);
        Bits verdictExtra = verdict(extraBad, accept, TRUE, tci);

        when(extra, () -> {
            in.ready.assign(false);
            out.valid.assign(true);
            out.payload.data.assign(held.resize(Beat.WIDTH));
            out.payload.keep.assign(extraKeep.resize(Beat.BYTES));
            out.last.assign(true);
            out.user.assign(verdictExtra);
        }).elseWhen(stripNow, () -> {
            in.ready.assign(true);
            out.valid.assign(false);
            passThrough(verdictNormal);
        }).elseWhen(shifting, () -> {
            in.ready.assign(out.ready);
            out.valid.assign(in.valid);
            out.payload.data.assign(cat(data.slice(31, 0), held).asUInt());
            out.payload.keep.assign(mux(in.last.and(spills.not()), cat(in.payload.keep.slice(3, 0), U(4, 0xF)).asUInt(), U(8, 0xFF)));
            out.last.assign(in.last.and(spills.not()));
            out.user.assign(mux(in.last.and(spills.not()), verdictNormal, B(RxFrame.VERDICT_WIDTH, 0)));
        }).otherwise(() -> {
            in.ready.assign(out.ready);
            out.valid.assign(in.valid);
            passThrough(verdictNormal);
        });

        when(in.fire(), () -> {
            when(beatIndex.ne(2), () -> beatIndex.next(beatIndex.plus(1)));
            when(stripNow, () -> {
                stripping.next(true);
                held.next(data.slice(31, 0));
                tci.next(cat(data.slice(55, 48), data.slice(63, 56)).asUInt());
            }).elseWhen(shifting, () -> held.next(data.slice(63, 32)));
            when(in.last, () -> when(spills, () -> {
                extra.next(true);
                extraKeep.next(inBytes4);
                extraBad.next(in.user.asBool());
            }).otherwise(() -> {
                beatIndex.next(0);
                stripping.next(false);
            }));
        });
        when(extra.and(out.ready), () -> {
            extra.next(false);
            stripping.next(false);
            beatIndex.next(0);
        });
    }

    private void passThrough(Bits verdict) {
        out.payload.data.assign(in.payload.data);
        out.payload.keep.assign(in.payload.keep);
        out.last.assign(in.last);
        out.user.assign(mux(in.last, verdict, B(RxFrame.VERDICT_WIDTH, 0)));
    }

    /** The verdict bits: bad, not accepted, tag stripped, its TCI; the checksum bits 0. */
    private static Bits verdict(Bool bad, Bool accept, Bool vp, UInt tci) {
        UInt vlan = mux(vp, tci, U(16, 0));
        return cat(U(RxFrame.VERDICT_WIDTH - RxFrame.CHECKED.lsb(), 0), vlan, vp, accept.not(), bad);
    }

    static UInt field(UInt register, Field f) {
        return register.slice(f.msb(), f.lsb());
    }
}
