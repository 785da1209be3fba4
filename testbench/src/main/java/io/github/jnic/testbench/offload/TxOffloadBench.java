package io.github.jnic.testbench.offload;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.offload.Patch;
import io.github.jnic.nic.offload.TxCommand;
import io.github.jnic.nic.offload.TxOffload;
import io.github.jnic.nic.stream.Beat;

/**
 * {@link TxOffload} with ports the harness's stream models can drive: each command arrives as a
 * 16-byte frame on {@code commands} (its fields packed as {@link #pack} lays them out), each patch
 * leaves as one 8-byte beat on {@code patchWords} (enable in bit 0, offset from bit 1, value from
 * bit 16), and every pulse is counted in a 32-bit counter.
 */
public class TxOffloadBench extends Module {
    public final Stream<Beat> commands = input(Stream.packets(new Beat()));
    public final Stream<Beat> frames = input(Stream.packets(new Beat(), 1));
    public final Stream<Beat> out = output(Stream.packets(new Beat(), 1));
    public final Stream<Beat> patchWords = output(Stream.packets(new Beat()));
    public final UInt tsoContexts = output(uint(32));
    public final UInt tsoFailed = output(uint(32));
    public final UInt checksumUnmodified = output(uint(32));

    final TxOffload engine = new TxOffload();

    /** Field widths in the packed command, from bit 0 up: TxCommand's fields in order. */
    static final int[] WIDTHS = {8, 8, 16, 8, 8, 16, 20, 8, 16, 1, 1, 1, 1, 1};

    public TxOffloadBench() {
        // the command's first beat waits in low; its second completes it
        UInt low = reg(uint(64)).named("low");
        when(commands.fire().and(commands.last.not()), () -> low.next(commands.payload.data));
        commands.ready.assign(commands.last.not().or(engine.cmd.ready));
        engine.cmd.valid.assign(commands.valid.and(commands.last));
        UInt packed = cat(commands.payload.data, low).asUInt();
        TxCommand c = engine.cmd.payload;
        UInt[] fields = {c.ipcss, c.ipcso, c.ipcse, c.tucss, c.tucso, c.tucse, c.paylen, c.hdrlen, c.mss};
        Bool[] flags = {c.tse, c.tcp, c.ipv4, c.ixsm, c.txsm};
        int at = 0, i = 0;
        for (UInt f : fields) {
            if (f.width() != WIDTHS[i++]) throw new IllegalStateException("TxCommand's field widths changed: update WIDTHS");
            f.assign(packed.slice(at + f.width() - 1, at));
            at += f.width();
        }
        for (Bool b : flags) b.assign(packed.bit(at++));

        frames.connectTo(engine.in);
        engine.out.connectTo(out);

        Patch p = engine.patches.payload;
        patchWords.valid.assign(engine.patches.valid);
        engine.patches.ready.assign(patchWords.ready);
        patchWords.last.assign(engine.patches.last);
        patchWords.payload.data.assign(cat(U(32, 0), p.value, U(16 - 1 - Patch.OFFSET_BITS, 0), p.offset, p.enable).asUInt());
        patchWords.payload.keep.assign(U(8, 0xFF));

        tsoContexts.assign(count(engine.tsoContext));
        tsoFailed.assign(count(engine.tsoFailed));
        checksumUnmodified.assign(count(engine.checksumUnmodified));
    }

    private UInt count(Bool pulse) {
        UInt c = reg(uint(32), 0);
        when(pulse, () -> c.next(c.plus(1)));
        return c;
    }

    /** The 16 bytes of a command frame for {@code c}, little-endian, fields from bit 0 up. */
    public static byte[] pack(OffloadReference.Command c) {
        long[] values = {c.ipcss(), c.ipcso(), c.ipcse(), c.tucss(), c.tucso(), c.tucse(), c.paylen(), c.hdrlen(), c.mss(),
                c.tse() ? 1 : 0, c.tcp() ? 1 : 0, c.ipv4() ? 1 : 0, c.ixsm() ? 1 : 0, c.txsm() ? 1 : 0};
        java.math.BigInteger packed = java.math.BigInteger.ZERO;
        int at = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] >>> WIDTHS[i] != 0) throw new IllegalArgumentException("field " + i + " = " + values[i] + " does not fit");
            packed = packed.or(java.math.BigInteger.valueOf(values[i]).shiftLeft(at));
            at += WIDTHS[i];
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) b[i] = packed.shiftRight(8 * i).byteValue();
        return b;
    }

    /** A patch as the bench gives it: {@code enable}, {@code offset}, {@code value}. */
    public record PatchWord(boolean enable, int offset, int value) {
        public static PatchWord of(byte[] beat, int at) {
            long w = 0;
            for (int i = 7; i >= 0; i--) w = w << 8 | (beat[at + i] & 0xFF);
            return new PatchWord((w & 1) != 0, (int) (w >>> 1 & ((1 << Patch.OFFSET_BITS) - 1)), (int) (w >>> 16 & 0xFFFF));
        }
    }
}
