package io.github.jnic.testbench.bench;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Crc;
import io.github.jnic.jhdl.lib.Stream;

/**
 * The simulator benchmark's reference design: a byte stream through a {@code depth}-beat
 * {@link io.github.jnic.jhdl.lib.StreamFifo} into a CRC-32, always ready. {@code crc} is the CRC-32
 * of the bytes taken since the last packet ended; when a packet's last byte is taken, its CRC-32
 * goes to {@code packetCrc} and {@code packets} counts it.
 */
public class CrcOverFifo extends Module {
    public final Stream<UInt> in = input(Stream.packets(uint(8)));
    public final UInt crc = output(uint(32));
    public final UInt packetCrc = output(reg(uint(32), 0));
    public final UInt packets = output(reg(uint(16), 0));

    public CrcOverFifo(int depth) {
        Stream<UInt> queued = in.fifo(depth);
        queued.ready.assign(true);
        UInt running = reg(uint(32), Crc.CRC32.initialValue()).named("running");
        Bool take = queued.fire();
        UInt next = Crc.CRC32.next(running, queued.payload).named("next");
        when(take, () -> running.next(mux(queued.last, Crc.CRC32.initialValue(), next)));
        when(take.and(queued.last), () -> {
            packetCrc.next(Crc.CRC32.result(next));
            packets.next(packets.plus(1));
        });
        crc.assign(Crc.CRC32.result(running));
    }
}
