package io.github.jnic.testbench.offload;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.offload.RxChecksum;
import io.github.jnic.nic.stream.Beat;

/**
 * {@link RxChecksum} with its verdict carried in the output stream's user bits (valid on the last
 * beat, where the harness's sink reads user): bit 0 the frame's own user bit passed through, then
 * STATUS (8), ERRORS (8), CSUM (16).
 */
public class RxChecksumBench extends Module {
    public final Stream<Beat> in = input(Stream.packets(new Beat(), 1));
    public final Stream<Beat> out = output(Stream.packets(new Beat(), 33));
    public final UInt pcss = input(uint(8));
    public final Bool ipOffload = input(bool());
    public final Bool tuOffload = input(bool());

    final RxChecksum engine = new RxChecksum(1);

    public RxChecksumBench() {
        in.connectTo(engine.in);
        engine.pcss.assign(pcss);
        engine.ipOffload.assign(ipOffload);
        engine.tuOffload.assign(tuOffload);
        out.valid.assign(engine.out.valid);
        engine.out.ready.assign(out.ready);
        out.payload.data.assign(engine.out.payload.data);
        out.payload.keep.assign(engine.out.payload.keep);
        out.last.assign(engine.out.last);
        out.user.assign(cat(engine.verdict.csum, engine.verdict.errors, engine.verdict.status, engine.out.user));
    }
}
