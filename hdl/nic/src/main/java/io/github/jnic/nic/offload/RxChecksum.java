package io.github.jnic.nic.offload;

import static io.github.jnic.nic.offload.Sums.BEAT_BITS;
import static io.github.jnic.nic.offload.Sums.POSITION_BITS;
import static io.github.jnic.nic.offload.Sums.fold;
import static io.github.jnic.nic.stream.Beat.lane;
import static io.github.jnic.nic.offload.Sums.laneRange;
import static io.github.jnic.nic.offload.Sums.swap;
import static io.github.jnic.nic.offload.Sums.word;
import static io.github.jnic.nic.offload.Sums.wordSum;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.spec.Descriptors.Rx;

/**
 * Receive checksum offload: a pass-through stage (two registers of latency, one beat a clock) that
 * checks a frame's checksums as it passes and gives its verdict with the frame's last beat.
 *
 * <p>Ports: {@code in} and {@code out}, {@code Stream.packets(new Beat(), userWidth)} (user passes
 * through untouched); {@code verdict} is meaningful while {@code out} offers its last beat
 * ({@code out.valid & out.last}) and holds until that beat is taken; {@code pcss},
 * {@code ipOffload}, {@code tuOffload} are RXCSUM's PCSS, IPOFLD and TUOFLD. {@code in.ready}
 * follows {@code out.ready} combinationally (no skid register).
 *
 * <p>What it checks, with or without one 802.1Q tag (TPID 0x8100) after the source address:
 * <ul>
 * <li>IPv4 (EtherType 0x0800, version 4, IHL ≥ 5, total length ≥ the header, the whole datagram
 *     in the frame): the header checksum → IPCS, and IPE if the header does not sum to 0xFFFF.</li>
 * <li>TCP (protocol 6) and UDP (17) over that IPv4 header unless it is a fragment (MF or an
 *     offset), or over IPv6 (0x86DD, version 6) whose next header is TCP or UDP directly (no
 *     extension headers) and whose payload length is not 0: the segment from the IP header's end
 *     to the IP datagram's end, with the pseudo-header (addresses, protocol, length) → TCPCS or
 *     UDPCS, and TCPE if it does not sum to 0xFFFF. The datagram must lie in the frame (bytes after
 *     it, such as Ethernet padding, are left out), hold a whole UDP (8) or TCP (20) header, and a
 *     UDP header's length must equal the IP payload's. IPv4 UDP with checksum 0 (none) is not checked.</li>
 * <li>Anything else — other EtherTypes, other protocols, fragments, extension headers, truncated
 *     or malformed headers, or offloads off — is not checked: no CS bit, and IXSM when nothing at
 *     all was checked. It is never reported good.</li>
 * <li>{@code csum}: the ones'-complement sum of the frame's bytes from PCSS to its end (its first
 *     byte the high byte of the first word), as the descriptor's CSUM.</li>
 * </ul>
 */
public class RxChecksum extends Module {
    public final Stream<Beat> in;
    public final Stream<Beat> out;
    public final RxVerdict verdict = output(new RxVerdict());
    /** RXCSUM.PCSS: where the packet checksum starts. */
    public final UInt pcss = input(uint(8));
    /** RXCSUM.IPOFLD: check IPv4 header checksums. */
    public final Bool ipOffload = input(bool());
    /** RXCSUM.TUOFLD: check TCP and UDP checksums. */
    public final Bool tuOffload = input(bool());

    static final int ACC_BITS = 32;
    /** Bits of a header offset: every one looked at is below 128. */
    static final int OFFSET_BITS = 7;

    public RxChecksum(int userWidth) {
        in = input(Stream.packets(new Beat(), userWidth));
        out = output(Stream.packets(new Beat(), userWidth));

        // ---- the pipeline: in -> s1 -> s2 (out); both move together --------------------------------
        UInt s1Data = reg(uint(Beat.WIDTH)).named("s1Data"), s2Data = reg(uint(Beat.WIDTH)).named("s2Data");
        UInt s1Keep = reg(uint(Beat.BYTES)).named("s1Keep"), s2Keep = reg(uint(Beat.BYTES)).named("s2Keep");
        Bool s1Last = reg(bool()).named("s1Last"), s2Last = reg(bool()).named("s2Last");
        Bits s1User = userWidth > 0 ? reg(bits(userWidth)).named("s1User") : null;
        Bits s2User = userWidth > 0 ? reg(bits(userWidth)).named("s2User") : null;
        Bool s1Valid = reg(bool(), false).named("s1Valid");
        Bool s2Valid = reg(bool(), false).named("s2Valid");
        Bool advance = s2Valid.not().or(out.ready).named("advance");
        in.ready.assign(advance);
        out.valid.assign(s2Valid);
        out.payload.data.assign(s2Data);
        out.payload.keep.assign(s2Keep);
        out.last.assign(s2Last);
        if (userWidth > 0) out.user.assign(s2User);

        Bool take = in.fire().named("take");
        UInt data = in.payload.data;

        // ---- where we are in the frame -------------------------------------------------------------
        UInt beat = reg(uint(BEAT_BITS), 0).named("beat");
        when(take, () -> beat.next(mux(in.last, U(BEAT_BITS, 0), mux(beat.andR(), beat, beat.plus(1)))));
        Bool first = beat.eq(0).named("first");

        // the frame's beats 1, 2, 3 (bytes 8..31) hold every header field looked at
        UInt hdr1 = reg(uint(64)).named("hdr1");
        UInt hdr2 = reg(uint(64)).named("hdr2");
        UInt hdr3 = reg(uint(64)).named("hdr3");
        when(take.and(beat.eq(1)), () -> hdr1.next(data));
        when(take.and(beat.eq(2)), () -> hdr2.next(data));
        when(take.and(beat.eq(3)), () -> hdr3.next(data));
        UInt[] hdr = {null, hdr1, hdr2, hdr3};
        java.util.function.IntFunction<UInt> byteAt = offset -> lane(hdr[offset / 8], offset % 8);

        Bool tagged = cat(byteAt.apply(12), byteAt.apply(13)).asUInt().eq(0x8100).named("tagged");
        // in beat 1 the tag is decided by the beat itself
        Bool taggedNow = mux(beat.eq(1), cat(lane(data, 4), lane(data, 5)).asUInt().eq(0x8100), tagged).named("taggedNow");
        // a field of the L3 header at offset o from its start (14, or 18 behind a tag)
        java.util.function.IntFunction<UInt> l3 = o -> mux(tagged, byteAt.apply(18 + o), byteAt.apply(14 + o));
        UInt etherType = mux(tagged, cat(byteAt.apply(16), byteAt.apply(17)), cat(byteAt.apply(12), byteAt.apply(13))).asUInt().named("etherType");
        UInt versionIhl = Sums.held(l3.apply(0), "versionIhl");
        UInt version = versionIhl.slice(7, 4);
        UInt ihl = versionIhl.slice(3, 0);
        Bool isV4 = etherType.eq(0x0800).and(version.eq(4)).named("isV4");
        Bool isV6 = etherType.eq(0x86DD).and(version.eq(6)).named("isV6");
        UInt totalLength = cat(l3.apply(2), l3.apply(3)).asUInt().named("totalLength");
        UInt payloadLength = cat(l3.apply(4), l3.apply(5)).asUInt().named("payloadLength");
        UInt fragment = cat(l3.apply(6), l3.apply(7)).asUInt().named("fragment");
        UInt protocol = mux(isV6, l3.apply(6), l3.apply(9)).named("protocol");

        // header offsets (the L3 header's start, its end, the addresses, the L4 header's start) are below
        // 128: seven bits, and their beats compared in four
        UInt l3Start = mux(taggedNow, U(OFFSET_BITS, 18), U(OFFSET_BITS, 14)).named("l3Start");
        UInt ipHeaderBytes = cat(ihl, U(2, 0)).asUInt().resize(OFFSET_BITS).named("ipHeaderBytes");
        UInt l4Start = l3Start.plus(mux(isV6, U(OFFSET_BITS, 40), ipHeaderBytes)).named("l4Start");
        UInt l4Length = mux(isV6, payloadLength, totalLength.minus(ipHeaderBytes.resize(POSITION_BITS))).named("l4Length");
        // a length near 64 KiB would wrap l3End
        UInt l3EndWide = Sums.held(l4Start.resize(POSITION_BITS + 1).plus(l4Length.resize(POSITION_BITS + 1)), "l3EndWide");
        UInt l3End = l3EndWide.slice(POSITION_BITS - 1, 0);
        Bool l3EndWraps = l3EndWide.bit(POSITION_BITS);
        UInt ipEnd = l3Start.plus(ipHeaderBytes).named("ipEnd");
        UInt addrStart = l3Start.plus(mux(isV6, U(OFFSET_BITS, 8), U(OFFSET_BITS, 12))).named("addrStart");
        UInt addrEnd = l3Start.plus(mux(isV6, U(OFFSET_BITS, 40), U(OFFSET_BITS, 20))).named("addrEnd");

        // ---- the sums, as beats come in ----------------------------------------------------------
        // header fields are known from beat 4 on (every L4 byte lies there: it starts at 34 or later);
        // before that an end is "not yet"
        Bool early = beat.lt(4).named("early");
        UInt keep = in.payload.keep;
        UInt ipLanes = laneRange(beat, l3Start, ipEnd, early).and(keep).named("ipLanes");
        // addresses from beat 2 on (an untagged IPv6 source starts at 22); the tag and version are known then
        UInt addrLanes = laneRange(beat, addrStart, addrEnd, null).and(mux(beat.lt(2), U(8, 0), keep)).named("addrLanes");
        UInt l4Lanes = laneRange(beat, l4Start, l3End, null).and(mux(early, U(8, 0), keep)).named("l4Lanes");
        UInt pktLanes = laneRange(beat, pcss, pcss, TRUE).and(keep).named("pktLanes");

        UInt ipSum = reg(uint(ACC_BITS)).named("ipSum");
        UInt tuSum = reg(uint(ACC_BITS)).named("tuSum");
        UInt pktSum = reg(uint(ACC_BITS)).named("pktSum");
        accumulate(ipSum, take, first, wordSum(data, ipLanes));
        accumulate(tuSum, take, first, wordSum(data, addrLanes.or(l4Lanes)));
        accumulate(pktSum, take, first, wordSum(data, pktLanes));

        // the UDP header's length and checksum words (at l4Start + 4 and + 6, even offsets)
        UInt udpLength = reg(uint(16)).named("udpLength");
        UInt udpChecksum = reg(uint(16)).named("udpChecksum");
        captureWord(udpLength, take.and(early.not()), beat, data, Sums.held(l4Start.plus(4), "udpLengthAt"));
        captureWord(udpChecksum, take.and(early.not()), beat, data, Sums.held(l4Start.plus(6), "udpChecksumAt"));

        UInt frameBytes = reg(uint(POSITION_BITS), 0).named("frameBytes");
        when(take.and(in.last), () -> frameBytes.next(cat(beat, U(3, 0)).asUInt().plus(Sums.count(keep).resize(POSITION_BITS))));

        // ---- the verdict, when the last beat moves from s1 to s2 ------------------------------------
        // the whole datagram in the frame (a truncated one is not checked at all, as the card model does)
        Bool datagramInFrame = frameBytes.ge(l3End).and(l3EndWraps.not()).named("datagramInFrame");
        Bool ipWhole = isV4.and(ihl.ge(5)).and(Sums.atLeast(frameBytes, ipEnd)).and(Sums.atLeast(totalLength, ipHeaderBytes))
                .and(datagramInFrame).named("ipWhole");
        Bool ipChecked = ipOffload.and(ipWhole).named("ipChecked");
        Bool ipBad = fold(ipSum).ne(0xFFFF).named("ipBad");
        Bool isTcp = protocol.eq(6), isUdp = protocol.eq(17);
        Bool notFragment = fragment.and(U(16, 0x3FFF)).eq(0).named("notFragment");
        Bool l4Fits = datagramInFrame.and(mux(isTcp, l4Length.ge(20), l4Length.ge(8))).named("l4Fits");
        Bool udpOk = isUdp.not().or(udpLength.eq(l4Length).and(isV6.or(udpChecksum.ne(0)))).named("udpOk");
        Bool l4Checked = tuOffload.and(isTcp.or(isUdp)).and(ipWhole.and(notFragment).or(isV6.and(payloadLength.ne(0))))
                .and(l4Fits).and(udpOk).named("l4Checked");
        UInt pseudo = protocol.resize(ACC_BITS).plus(l4Length.resize(ACC_BITS));
        Bool l4Bad = Sums.add(fold(tuSum), fold(pseudo)).ne(0xFFFF).named("l4Bad");
        UInt pkt = fold(pktSum);

        UInt status = U(8, 0), errors = U(8, 0);
        status = status.or(bitAt(Rx.IPCS.lsb(), ipChecked));
        status = status.or(bitAt(Rx.TCPCS.lsb(), l4Checked.and(isTcp)));
        status = status.or(bitAt(Rx.UDPCS.lsb(), l4Checked.and(isUdp)));
        status = status.or(bitAt(Rx.IXSM.lsb(), ipChecked.or(l4Checked).not()));
        errors = errors.or(bitAt(Rx.IPE.lsb(), ipChecked.and(ipBad)));
        errors = errors.or(bitAt(Rx.TCPE.lsb(), l4Checked.and(l4Bad)));
        RxVerdict held = reg(new RxVerdict()).named("held");
        UInt statusNow = status, errorsNow = errors;
        when(advance, () -> {
            s1Data.next(in.payload.data);
            s1Keep.next(in.payload.keep);
            s1Last.next(in.last);
            if (userWidth > 0) s1User.next(in.user);
            s1Valid.next(in.valid);
            s2Data.next(s1Data);
            s2Keep.next(s1Keep);
            s2Last.next(s1Last);
            if (userWidth > 0) s2User.next(s1User);
            s2Valid.next(s1Valid);
            when(s1Valid.and(s1Last), () -> {
                held.status.next(statusNow);
                held.errors.next(errorsNow);
                held.csum.next(mux(pcss.bit(0), swap(pkt), pkt));
            });
        });
        verdict.status.assign(held.status);
        verdict.errors.assign(held.errors);
        verdict.csum.assign(held.csum);
    }

    /**
     * {@code acc} takes the beat's sum on the frame's first beat and adds it on the others. The sum
     * is read once, so it stays inside the update under {@code take} (see {@link Sums#wordSum}).
     */
    static void accumulate(UInt acc, Bool take, Bool first, UInt beatSum) {
        UInt wide = beatSum.resize(acc.width());
        when(take, () -> acc.next(mux(first, U(acc.width(), 0), acc).plus(wide)));
    }

    /** Captures the 16-bit word at even frame position {@code at} when its beat is taken. */
    static void captureWord(UInt target, Bool take, UInt beat, UInt data, UInt at) {
        UInt w = mux(at.bit(2), mux(at.bit(1), word(data, 3), word(data, 2)), mux(at.bit(1), word(data, 1), word(data, 0)));
        when(take.and(Sums.equal(beat, at.slice(at.width() - 1, 3))), () -> target.next(w));
    }

    static UInt bitAt(int position, Bool value) {
        return mux(value, U(8, 1L << position), U(8, 0));
    }
}
