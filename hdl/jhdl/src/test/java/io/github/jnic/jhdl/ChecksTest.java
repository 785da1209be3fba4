package io.github.jnic.jhdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.lib.Stream;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every check provoked on purpose: the message names the signal and the Java line. */
class ChecksTest {
    /** The line of the caller, to write {@code x.assign(y); at = line();} on one line. */
    static int line() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow().getLineNumber());
    }

    static List<Problem> problems(Supplier<Module> design) {
        ElaborationException e = assertThrows(ElaborationException.class, () -> Verilog.emit(design.get()));
        return e.problems();
    }

    static Problem only(Supplier<Module> design) {
        List<Problem> p = problems(design);
        assertEquals(1, p.size(), () -> "expected one problem, got:\n" + p);
        return p.get(0);
    }

    static void assertAt(Problem p, Problem.Kind kind, String subject, int line) {
        assertEquals(kind, p.kind(), p::toString);
        assertEquals(subject, p.subject(), p::toString);
        assertEquals(new SourceLocation("ChecksTest.java", line), p.location(), p::toString);
        assertTrue(p.toString().startsWith(kind + ": " + subject + " at ChecksTest.java:" + line + " — "), p::toString);
    }

    static int at;

    static class WidthMismatch extends Module {
        final UInt a = input(uint(8));
        final UInt b = input(uint(9));
        final UInt sum = output(uint(8));

        WidthMismatch() {
            sum.assign(a.plus(b)); at = line();
        }
    }

    @Test
    void widthMismatchInAnOperatorNamesBothOperands() {
        Problem p = only(WidthMismatch::new);
        assertAt(p, Problem.Kind.WIDTH_MISMATCH, "WidthMismatch.a", at);
        assertTrue(p.explanation().contains("WidthMismatch.a (8 bits) and WidthMismatch.b (9 bits)"), p::toString);
    }

    static class AssignWidth extends Module {
        final UInt a = input(uint(8));
        final UInt y = output(uint(4));

        AssignWidth() {
            y.assign(a); at = line();
        }
    }

    @Test
    void assignmentOfAnotherWidthIsAnErrorNotATruncation() {
        Problem p = only(AssignWidth::new);
        assertAt(p, Problem.Kind.WIDTH_MISMATCH, "AssignWidth.y", at);
        assertTrue(p.explanation().contains("8-bit value"), p::toString);
    }

    static class Undriven extends Module {
        final UInt a = input(uint(8));
        final UInt y = output(uint(8)); static final int Y = line();
        final UInt r = reg(uint(8)); static final int R = line();
        final UInt z = output(uint(8));

        Undriven() {
            z.assign(a.plus(r));
        }
    }

    @Test
    void undrivenOutputAndRegisterAreReportedWhereDeclared() {
        List<Problem> p = problems(Undriven::new);
        assertEquals(2, p.size(), p::toString);
        assertAt(p.get(0), Problem.Kind.UNDRIVEN, "Undriven.y", Undriven.Y);
        assertAt(p.get(1), Problem.Kind.UNDRIVEN, "Undriven.r", Undriven.R);
    }

    static class Latch extends Module {
        final Bool c = input(bool());
        final UInt a = input(uint(8));
        final UInt y = output(uint(8));

        Latch() {
            when(c, () -> { y.assign(a); at = line(); });
        }
    }

    @Test
    void aCombinationalSignalNotAssignedOnEveryPathIsALatch() {
        Problem p = only(Latch::new);
        assertAt(p, Problem.Kind.LATCH, "Latch.y", at);
    }

    static class NoLatch extends Module {
        final UInt sel = input(uint(2));
        final UInt a = input(uint(8));
        final UInt y = output(uint(8));
        final UInt z = output(uint(8));

        NoLatch() {
            z.assign(0);
            when(sel.eq(1), () -> z.assign(a));
            switchOn(sel).is(0, () -> y.assign(a)).is(1, () -> y.assign(a.plus(1))).is(2, () -> y.assign(0)).is(3, () -> y.assign(1));
        }
    }

    @Test
    void defaultsAndCompleteSwitchesAreNotLatches() {
        var d = Verilog.emit(new NoLatch());
        Tools.lintClean(d);
        Tools.synthClean(d, io.github.jnic.jhdl.flow.Yosys.Target.ICE40);
    }

    static class Loop extends Module {
        final UInt a = input(uint(8));
        final UInt y = output(uint(8));
        final UInt p = wire(uint(8));
        final UInt q = wire(uint(8));

        Loop() {
            p.assign(q.plus(a)); at = line();
            q.assign(p);
            y.assign(q);
        }
    }

    @Test
    void combinationalLoopIsPrinted() {
        Problem p = only(Loop::new);
        assertEquals(Problem.Kind.COMBINATIONAL_LOOP, p.kind());
        assertTrue(p.explanation().contains("Loop.p (ChecksTest.java:" + at + ") <- Loop.q"), p::toString);
        assertTrue(p.explanation().endsWith("<- " + p.subject()), p::toString);
    }

    static class Child extends Module {
        final UInt in = input(uint(8));
        final UInt out = output(uint(8));

        Child() {
            out.assign(in);
        }
    }

    static class TwoDrivers extends Module {
        final UInt a = input(uint(8));
        final UInt y = output(uint(8));
        final Child child = new Child();

        TwoDrivers() {
            child.in.assign(a);
            child.out.assign(a); at = line();
            y.assign(child.out);
        }
    }

    @Test
    void drivingASubmoduleOutputIsMultipleDrivers() {
        Problem p = only(TwoDrivers::new);
        assertAt(p, Problem.Kind.MULTIPLE_DRIVERS, "TwoDrivers.child.out", at);
        assertTrue(p.explanation().contains("is an output of TwoDrivers.child"), p::toString);
    }

    static class UnconnectedChild extends Module {
        final UInt y = output(uint(8));
        final Child child = new Child(); static final int C = line();

        UnconnectedChild() {
            y.assign(child.out);
        }
    }

    @Test
    void unconnectedSubmoduleInputIsUndriven() {
        Problem p = only(UnconnectedChild::new);
        assertAt(p, Problem.Kind.UNDRIVEN, "UnconnectedChild.child.in", UnconnectedChild.C);
    }

    static class ReadsUnconnectedChild extends Module {
        final UInt y = output(uint(8));
        final UInt z = output(uint(8));
        final Child child = new Child(); static final int C = line();

        ReadsUnconnectedChild() {
            y.assign(child.out);
            z.assign(child.in.plus(1)); at = line();
        }
    }

    @Test
    void readingAnUnconnectedSubmoduleInputIsUndrivenNotInvalidVerilog() {
        Problem p = only(ReadsUnconnectedChild::new);
        assertAt(p, Problem.Kind.UNDRIVEN, "ReadsUnconnectedChild.child.in", ReadsUnconnectedChild.C);
        assertTrue(p.explanation().endsWith("yet read at ChecksTest.java:" + at), p::toString);
    }

    static class FiresWithoutReady extends Module {
        final Stream<UInt> in = input(Stream.of(uint(8)));
        final UInt taken = output(reg(uint(8), 0));

        FiresWithoutReady() {
            Stream<UInt> queued = in.fifo(4);
            when(queued.fire(), () -> taken.next(taken.plus(1))); at = line();
        }
    }

    @Test
    void firingAStreamWhoseReadyIsNotDrivenIsUndriven() {
        Problem p = only(FiresWithoutReady::new);
        assertEquals(Problem.Kind.UNDRIVEN, p.kind(), p::toString);
        assertEquals("FiresWithoutReady.streamFifo.out_ready", p.subject(), p::toString);
        assertTrue(p.explanation().endsWith("yet read at ChecksTest.java:" + at), p::toString);
    }

    static class DomainFromInternals extends Module {
        final Bool clock = input(bool());
        final Bool y = output(bool());
        final Inner inner = new Inner();

        static class Inner extends Module {
            final Bool hidden = reg(bool(), false);

            Inner() {
                hidden.next(hidden.not());
            }
        }

        DomainFromInternals() {
            withDomain(ClockDomain.internal("clock", clock).withSyncReset("clear", inner.hidden), () -> {
                Bool r = reg(bool(), false).named("r"); at = line();
                r.next(r.not());
                y.assign(r);
            });
        }
    }

    @Test
    void aDomainResetFromAnotherModulesInternalsIsAHierarchyError() {
        Problem p = only(DomainFromInternals::new);
        assertAt(p, Problem.Kind.HIERARCHY, "DomainFromInternals.inner.hidden", at);
        assertTrue(p.explanation().contains("drives clock domain clock"), p::toString);
    }

    static class ReachesIntoChild extends Module {
        final UInt y = output(uint(8));
        final Inner inner = new Inner();

        static class Inner extends Module {
            final UInt hidden = reg(uint(8), 0);

            Inner() {
                hidden.next(hidden.plus(1));
            }
        }

        ReachesIntoChild() {
            y.assign(inner.hidden); at = line();
        }
    }

    @Test
    void readingAnotherModulesInternalsIsAHierarchyError() {
        Problem p = only(ReachesIntoChild::new);
        assertAt(p, Problem.Kind.HIERARCHY, "ReachesIntoChild.inner.hidden", at);
    }

    static final ClockDomain RX = ClockDomain.external("rx_clk");

    static class Crossing extends Module {
        final Bool a = input(bool());
        final Bool y = output(bool());
        final Bool fast = reg(bool(), false);
        Bool slow, synced;

        Crossing(boolean withSynchronizer) {
            fast.next(a);
            withDomain(RX, () -> {
                slow = reg(bool()).named("slow");
                slow.next(fast); at = line();
                if (withSynchronizer) slow.markSynchronizer();
                synced = reg(bool()).named("synced");
                synced.next(slow);
            });
            y.assign(synced);
        }
    }

    @Test
    void readingAnotherClockDomainNeedsASynchronizer() {
        Problem p = only(() -> new Crossing(false));
        assertAt(p, Problem.Kind.CLOCK_DOMAIN_CROSSING, "Crossing.slow", at);
        assertTrue(p.explanation().contains("clocked by rx_clk reads Crossing.fast (clocked by clk"), p::toString);
        Verilog.emit(new Crossing(true));
    }

    static class CrossingThroughLogic extends Module {
        final Bool a = input(bool());
        final Bool y = output(bool());

        CrossingThroughLogic() {
            Bool fast = reg(bool(), false).named("fast");
            fast.next(a);
            Bool mixed = wire(bool()).named("mixed");
            mixed.assign(fast.and(a));
            withDomain(RX, () -> {
                Bool slow = reg(bool()).named("slow");
                when(mixed, () -> { slow.next(true); at = line(); }).otherwise(() -> slow.next(false));
                y.assign(slow);
            });
        }
    }

    @Test
    void aCrossingThroughCombinationalLogicNamesTheSourceRegisterAndThePath() {
        Problem p = only(CrossingThroughLogic::new);
        assertAt(p, Problem.Kind.CLOCK_DOMAIN_CROSSING, "CrossingThroughLogic.slow", at);
        assertTrue(p.explanation().contains("reads CrossingThroughLogic.fast (clocked by clk, through CrossingThroughLogic.mixed)"), p::toString);
    }

    static class DrivesOwnInput extends Module {
        final Bool a = input(bool());
        final Bool y = output(bool());

        DrivesOwnInput() {
            a.assign(true); at = line();
            y.assign(a);
        }
    }

    @Test
    void drivingOnesOwnInputIsMultipleDrivers() {
        Problem p = only(DrivesOwnInput::new);
        assertAt(p, Problem.Kind.MULTIPLE_DRIVERS, "DrivesOwnInput.a", at);
        assertTrue(p.explanation().contains("is an input of the top module, driven from outside"), p::toString);
    }

    static class ConstantClock extends Module {
        final Bool y = output(bool());

        ConstantClock() {
            withDomain(ClockDomain.internal("stuck", TRUE), () -> {
                Bool r = reg(bool()).named("r");
                r.next(r.not());
                y.assign(r);
            });
        }
    }

    @Test
    void aClockMustComeFromASignal() {
        Problem p = only(ConstantClock::new);
        assertEquals(Problem.Kind.ILLEGAL, p.kind());
        assertTrue(p.explanation().contains("a clock must come from a port, wire or register"), p::toString);
    }

    static class AllAtOnce extends Module {
        final UInt a = input(uint(8));
        final UInt y = output(uint(4));
        final UInt z = output(uint(8));

        AllAtOnce() {
            y.assign(a);
        }
    }

    @Test
    void everyProblemIsReportedInOneException() {
        ElaborationException e = assertThrows(ElaborationException.class, () -> Verilog.emit(new AllAtOnce()));
        assertEquals(2, e.problems().size());
        assertTrue(e.getMessage().contains("width mismatch: AllAtOnce.y"), e::getMessage);
        assertTrue(e.getMessage().contains("undriven: AllAtOnce.z"), e::getMessage);
    }

    static class NextOnWire extends Module {
        final UInt a = input(uint(8));
        final UInt y = output(uint(8));

        NextOnWire() {
            y.next(a); at = line();
        }
    }

    @Test
    void aFailedDesignFailsAgainTheSameWay() {
        AllAtOnce m = new AllAtOnce();
        ElaborationException first = assertThrows(ElaborationException.class, () -> Verilog.emit(m));
        ElaborationException second = assertThrows(ElaborationException.class, () -> Verilog.emit(m));
        assertEquals(first.problems(), second.problems());
    }

    @Test
    void nextOnAWireIsRefused() {
        Problem p = problems(NextOnWire::new).get(0);
        assertAt(p, Problem.Kind.ILLEGAL, "NextOnWire.y", at);
    }

    @Test
    void literalsMustFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hdl.U(4, 16));
        assertTrue(e.getMessage().contains("16 does not fit in a 4-bit UINT"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> Hdl.S(4, 8));
        assertEquals(-8, Hdl.S(4, -8).literalValue().intValue());
    }

    @Test
    void hardwareOutsideAConstructorIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Hdl.wire(Hdl.uint(8)));
        assertTrue(e.getMessage().contains("only be built while a Module's constructor runs"), e::getMessage);
    }
}
