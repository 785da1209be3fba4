package io.github.jnic.testbench.tx;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.nic.dma.TxDma;
import io.github.jnic.nic.offload.TxOffload;
import io.github.jnic.nic.stream.Downsizer;
import io.github.jnic.nic.tx.TxFrameBuffer;

/**
 * The transmit path in one clock domain: {@link TxDma} on the {@code dma} AXI4 port, then
 * {@link TxOffload}, {@link TxFrameBuffer} (flushed by the card's reset) and {@link Downsizer}, whose
 * bytes leave on {@code out} as the MAC would take them. Every pulse is counted in a 32-bit counter,
 * and so is every clock inside a frame on which {@code out} had no byte ({@code gaps}), and every
 * clock the engine said {@code idle} with a request or a beat on its ports ({@code busyWhileIdle}).
 */
class TxPathBench extends Module {
    final Bool enable = input(bool());
    final Bool cardReset = input(bool());
    final UInt ringBase = input(uint(64));
    final UInt ringBytes = input(uint(20));
    final UInt tail = input(uint(16));
    final Flow<UInt> headWrite = input(Flow.of(uint(16)));
    final UInt head = output(uint(16));
    final Bool stopped = output(bool());
    final UInt busErrorAddress = output(uint(64));
    final Axi4 dma = output(new Axi4(4, 64, 64));
    final Stream<UInt> out = output(Stream.packets(uint(8)));

    final UInt descriptorsDone = output(uint(32));
    final UInt ideDone = output(uint(32));
    final UInt queueEmpty = output(uint(32));
    final UInt badDescriptor = output(uint(32));
    final UInt ringError = output(uint(32));
    final UInt busError = output(uint(32));
    final UInt oversize = output(uint(32));
    final UInt tsoContext = output(uint(32));
    final UInt tsoFailed = output(uint(32));
    final UInt gaps = output(uint(32));
    final Bool idle = output(bool());
    final UInt busyWhileIdle = output(uint(32));

    final TxDma engine = new TxDma(4, 2);
    final TxOffload offload = new TxOffload();
    final TxFrameBuffer buffer = new TxFrameBuffer(2048, 16);
    final Downsizer downsizer = new Downsizer(0);

    TxPathBench() {
        engine.enable.assign(enable);
        engine.cardReset.assign(cardReset);
        engine.ringBase.assign(ringBase);
        engine.ringBytes.assign(ringBytes);
        engine.tail.assign(tail);
        engine.headWrite.connectFrom(headWrite);
        head.assign(engine.head);
        stopped.assign(engine.stopped);
        busErrorAddress.assign(engine.busErrorAddress);
        dma.connectFrom(engine.axi);
        engine.cmd.connectTo(offload.cmd);
        engine.frames.connectTo(offload.in);
        offload.out.connectTo(buffer.in);
        offload.patches.connectTo(buffer.patches);
        buffer.flush.assign(cardReset);
        buffer.out.connectTo(downsizer.in);
        downsizer.out.connectTo(out);

        descriptorsDone.assign(count(engine.descriptorDone));
        ideDone.assign(count(engine.descriptorDone.and(engine.ide)));
        queueEmpty.assign(count(engine.queueEmpty));
        badDescriptor.assign(count(engine.badDescriptor));
        ringError.assign(count(engine.ringError));
        busError.assign(count(engine.busError));
        oversize.assign(count(buffer.oversize));
        tsoContext.assign(count(offload.tsoContext));
        tsoFailed.assign(count(offload.tsoFailed));
        // inside a frame: after a byte that was not the last, until the last
        Bool inFrame = reg(bool(), false);
        when(out.fire(), () -> inFrame.next(out.last.not()));
        gaps.assign(count(inFrame.and(out.valid.not())));
        // the engine says idle: then nothing of it is on its ports
        idle.assign(engine.idle);
        busyWhileIdle.assign(count(engine.idle.and(engine.axi.ar.valid.or(engine.axi.aw.valid).or(engine.axi.w.valid)
                .or(engine.cmd.valid).or(engine.frames.valid))));
    }

    private UInt count(Bool pulse) {
        UInt c = reg(uint(32), 0);
        when(pulse, () -> c.next(c.plus(1)));
        return c;
    }
}
