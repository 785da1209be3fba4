package io.github.jnic.jhdl.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.ElaborationException;
import io.github.jnic.jhdl.Problem;
import io.github.jnic.jhdl.Hdl;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.examples.FifoCrc32;
import io.github.jnic.jhdl.lib.examples.PacketGate;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Tools;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import org.junit.jupiter.api.Test;

/** Every library block, as a top module: Verilog lint-clean under -Wall, and synthesizable for iCE40 without latches. */
class LibDesignsTest {

    static VerilogDesign clean(Module top) {
        VerilogDesign d = Verilog.emit(top);
        Tools.lintClean(d);
        return d;
    }

    static Yosys.Result ice40(VerilogDesign d) {
        return Tools.synthClean(d, Yosys.Target.ICE40);
    }

    @Test
    void crcGeneratorIsAnXorNetworkAndARegister() {
        VerilogDesign d = clean(new CrcGenerator(Crc.CRC32, 8));
        String v = d.files().get("CrcGenerator.v");
        assertTrue(v.contains("^{"), v);
        assertEquals(32, ice40(d).flipFlops());
        for (Crc crc : CrcTest.catalogue()) {
            for (int w : new int[] {1, 16, 64}) clean(new CrcGenerator(crc, w));
        }
    }

    @Test
    void registerFifo() {
        VerilogDesign d = clean(new StreamFifo<>(Stream.packets(Hdl.uint(8), 2), 4));
        String v = d.files().get("StreamFifo.v");
        assertTrue(v.contains("assign in_ready = count != 3'd4;"), v);
        assertTrue(v.contains("words[writeAddress] <= {in_user, in_last, in_payload};"), v);
        assertEquals(0, ice40(d).blockRams());
    }

    @Test
    void blockRamFifo() {
        VerilogDesign d = clean(new StreamFifo<>(Stream.of(Hdl.uint(8)), 512));
        Yosys.Result r = ice40(d);
        assertEquals(1, r.blockRams(), r.cells()::toString);
        clean(new StreamFifo<>(Stream.of(Hdl.uint(16)), 100)); // a depth that is not a power of two
    }

    @Test
    void stage() {
        VerilogDesign d = clean(new StreamStage<>(Stream.packets(Hdl.uint(8), 1)));
        assertEquals(2 + 2 * 10, ice40(d).flipFlops());
    }

    static final ClockDomain WRITE = ClockDomain.external("wclk").withSyncReset("wreset");
    static final ClockDomain READ = ClockDomain.external("rclk").withSyncReset("rreset");

    @Test
    void arbiter() {
        VerilogDesign d = clean(new Arbiter<>(Stream.packets(Hdl.uint(8), 2), 3));
        String v = d.files().get("Arbiter.v");
        assertTrue(v.contains("inputs_2_valid"), v);
        ice40(d);
        clean(new Arbiter<>(Stream.of(Hdl.uint(4)), 4)); // beats, not packets: no lock to last
        clean(new Arbiter<>(Stream.of(Hdl.uint(4)), 1));
    }

    @Test
    void asyncFifoIsOneBlockRamBetweenTwoClocks() {
        VerilogDesign d = clean(new AsyncFifo<>(Stream.packets(Hdl.uint(7)), 256, WRITE, READ));
        assertEquals(2, d.ports().stream().filter(VerilogDesign.Port::clock).count());
        String v = d.files().get("AsyncFifo.v");
        assertTrue(v.contains("always @(posedge rclk)") && v.contains("always @(posedge wclk)"), v);
        Yosys.Result r = ice40(d);
        assertEquals(1, r.blockRams(), r.cells()::toString);
        Yosys.Result ecp5 = Tools.synthClean(d, Yosys.Target.ECP5);
        assertEquals(1, ecp5.blockRams(), ecp5.cells()::toString);
        clean(new AsyncFifo<>(Stream.of(Hdl.uint(16)), 2, WRITE, READ));
    }

    @Test
    void synchronizers() {
        VerilogDesign d = clean(new Synchronizer(null, 4, 3));
        assertTrue(d.files().get("Synchronizer.v").contains("stages_2 <= stages_1;"), d.files().toString());
        assertEquals(12, ice40(d).flipFlops());
        VerilogDesign p = clean(new PulseSynchronizer(WRITE, READ));
        assertEquals(4, ice40(p).flipFlops());
    }

    @Test
    void fsmStatesAreLocalparamsAndTheRegisterIsNamed() {
        VerilogDesign d = clean(new PacketGate());
        String v = d.files().get("PacketGate.v");
        assertTrue(v.contains("localparam [1:0] DROP = 2'd2;"), v);
        assertTrue(v.contains("DROP: begin"), v);
        assertTrue(v.contains("reg  [1:0] gate;"), v);
        assertTrue(v.contains("gate_next = PASS;"), v);
        ice40(d);
    }

    @Test
    void flow() {
        VerilogDesign d = clean(new FlowStageDesign());
        assertEquals(1 + 8 + 1, ice40(d).flipFlops());
    }

    /** A stream taken as a flow, registered once. */
    static class FlowStageDesign extends Module {
        final Stream<UInt> in = input(Stream.packets(Hdl.uint(8)));
        final Flow<UInt> out = output(Flow.packets(Hdl.uint(8)));

        FlowStageDesign() {
            in.toFlow().stage().connectTo(out);
        }
    }

    @Test
    void benchReferenceDesign() {
        VerilogDesign d = clean(new FifoCrc32());
        Yosys.Result r = ice40(d);
        assertEquals(1, r.blockRams(), r.cells()::toString);
        assertTrue(r.luts() > 100, r.cells()::toString);
    }

    /** A payload that is a bundle of several signals. */
    static class Beat extends io.github.jnic.jhdl.Bundle {
        public final UInt data = Hdl.uint(32);
        public final io.github.jnic.jhdl.Bits keep = Hdl.bits(4);
    }

    @Test
    void bundlePayloadThroughFifoAndStage() {
        VerilogDesign d = clean(new BundleStream());
        String v = d.files().get("BundleStream.v");
        assertTrue(v.contains("in_payload_keep") && v.contains("out_payload_data"), v);
        ice40(d);
    }

    static class BundleStream extends Module {
        final Stream<Beat> in = input(Stream.packets(new Beat()));
        final Stream<Beat> out = output(Stream.packets(new Beat()));

        BundleStream() {
            in.fifo(4).stage().connectTo(out);
        }
    }

    /** A bit of the write domain read in the read domain: rejected directly, accepted through a synchronizer. */
    static class Crossing extends Module {
        final Bool out = output(bool());

        Crossing(boolean synchronized_) {
            Bool[] flag = new Bool[1];
            withDomain(WRITE, () -> {
                flag[0] = reg(bool(), false).named("flag");
                flag[0].next(flag[0].not());
            });
            withDomain(READ, () -> {
                Bool seen = reg(bool(), false).named("seen");
                seen.next(synchronized_ ? Synchronizer.sync(flag[0]) : flag[0]);
                out.assign(seen);
            });
        }
    }

    @Test
    void crossingCheckAcceptsTheSynchronizer() {
        ElaborationException e = assertThrows(ElaborationException.class, () -> Verilog.emit(new Crossing(false)));
        assertTrue(e.problems().stream().anyMatch(p -> p.kind() == Problem.Kind.CLOCK_DOMAIN_CROSSING), e::getMessage);
        clean(new Crossing(true));
    }

    static class Mismatch extends Module {
        Mismatch() {
            Stream<UInt> a = wire(Stream.packets(Hdl.uint(8)));
            Stream<UInt> b = wire(Stream.of(Hdl.uint(8)));
            a.connectTo(b);
        }
    }

    @Test
    void streamsOfDifferentShapesDoNotConnect() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Mismatch::new);
        assertTrue(e.getMessage().contains("different shapes"), e.getMessage());
    }
}
