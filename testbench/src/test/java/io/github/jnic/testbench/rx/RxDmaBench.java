package io.github.jnic.testbench.rx;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.nic.dma.RxDma;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.nic.rx.RxFrameBuffer;
import io.github.jnic.nic.stream.Beat;

/**
 * The receive path from the frame buffer on: frames with their verdict in, {@link RxFrameBuffer}
 * (flushed by the card's reset), {@link RxDma} on the {@code dma} AXI4 port, and every pulse
 * counted in a 32-bit counter so a test reads totals after a batched run.
 */
class RxDmaBench extends Module {
    final Stream<Beat> frames = input(Stream.packets(new Beat(), RxFrame.VERDICT_WIDTH));
    final Bool enable = input(bool());
    final Bool cardReset = input(bool());
    final UInt ringBase = input(uint(64));
    final UInt ringBytes = input(uint(20));
    final UInt tail = input(uint(16));
    final Flow<UInt> headWrite = input(Flow.of(uint(16)));
    final UInt bufferBytes = input(uint(15));
    final UInt rdmts = input(uint(2));
    final UInt head = output(uint(16));
    final Bool stopped = output(bool());
    final UInt busErrorAddress = output(uint(64));
    final Axi4 dma = output(new Axi4(4, 64, 64));

    final UInt framesDone = output(uint(32));
    final UInt bytesDone = output(uint(32));
    final UInt noBuffer = output(uint(32));
    final UInt droppedStopped = output(uint(32));
    final UInt badDescriptor = output(uint(32));
    final UInt ringError = output(uint(32));
    final UInt busError = output(uint(32));
    final UInt lowDescriptors = output(uint(32));
    final UInt dropBad = output(uint(32));
    final UInt dropFiltered = output(uint(32));
    final UInt overflow = output(uint(32));

    final RxFrameBuffer buffer = new RxFrameBuffer(2048, 32);
    final RxDma engine = new RxDma(4, 0);

    RxDmaBench() {
        frames.connectTo(buffer.in);
        buffer.flush.assign(cardReset);
        buffer.out.connectTo(engine.frames);
        engine.enable.assign(enable);
        engine.cardReset.assign(cardReset);
        engine.ringBase.assign(ringBase);
        engine.ringBytes.assign(ringBytes);
        engine.tail.assign(tail);
        engine.headWrite.connectFrom(headWrite);
        engine.bufferBytes.assign(bufferBytes);
        engine.rdmts.assign(rdmts);
        head.assign(engine.head);
        stopped.assign(engine.stopped);
        busErrorAddress.assign(engine.busErrorAddress);
        dma.connectFrom(engine.axi);

        framesDone.assign(count(engine.frameDone, U(32, 1)));
        bytesDone.assign(count(engine.frameDone, engine.doneLength.resize(32)));
        noBuffer.assign(count(engine.noBuffer, U(32, 1)));
        droppedStopped.assign(count(engine.droppedStopped, U(32, 1)));
        badDescriptor.assign(count(engine.badDescriptor, U(32, 1)));
        ringError.assign(count(engine.ringError, U(32, 1)));
        busError.assign(count(engine.busError, U(32, 1)));
        lowDescriptors.assign(count(engine.lowDescriptors, U(32, 1)));
        dropBad.assign(count(buffer.dropBad, U(32, 1)));
        dropFiltered.assign(count(buffer.dropFiltered, U(32, 1)));
        overflow.assign(count(buffer.overflow, U(32, 1)));
    }

    private UInt count(Bool pulse, UInt amount) {
        UInt c = reg(uint(32), 0);
        when(pulse, () -> c.next(c.plus(amount)));
        return c;
    }
}
