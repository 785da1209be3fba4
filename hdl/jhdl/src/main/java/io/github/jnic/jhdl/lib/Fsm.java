package io.github.jnic.jhdl.lib;

import static io.github.jnic.jhdl.Hdl.U;
import static io.github.jnic.jhdl.Hdl.constant;
import static io.github.jnic.jhdl.Hdl.reg;
import static io.github.jnic.jhdl.Hdl.switchOn;
import static io.github.jnic.jhdl.Hdl.uint;
import static io.github.jnic.jhdl.Hdl.wire;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.FieldNamed;
import io.github.jnic.jhdl.Switch;
import io.github.jnic.jhdl.UInt;
import java.util.EnumMap;
import java.util.Map;

/**
 * A finite-state machine over the constants of a Java enum, built in the module under construction.
 * The states are binary-coded named constants, printed as {@code localparam}s named like the enum
 * constants. The state register is named after the module field that holds the machine (a field
 * {@code rx} gives the register {@code rx} and the wire {@code rx_next} for the state it moves to),
 * or for a machine in a local variable after the enum ({@code RxState} gives {@code rxState}),
 * unless {@link #named} says otherwise.
 *
 * <pre>{@code
 * enum State { IDLE, HEADER, PAYLOAD }
 * final Fsm<State> fsm = new Fsm<>(State.IDLE);   // a field: the register is "fsm"
 * fsm.on(State.IDLE, () -> when(start, () -> fsm.goTo(State.HEADER)))
 *    .on(State.HEADER, () -> fsm.goTo(State.PAYLOAD))
 *    .on(State.PAYLOAD, () -> when(done, () -> fsm.goTo(State.IDLE)));
 * busy.assign(fsm.is(State.IDLE).not());
 * }</pre>
 *
 * The machine starts in (and resets to) the initial state. {@link #goTo} inside the actions (or in
 * any {@code when}) chooses the next state; without it the state stays. Two machines in one module
 * need enums with distinct constant names, since the names become the module's {@code localparam}s.
 */
public final class Fsm<S extends Enum<S>> implements FieldNamed {
    /** The state register. */
    public final UInt state;
    /** The state after the next clock edge (combinational: the state unless {@link #goTo} says otherwise). */
    public final UInt nextState;
    private final Map<S, UInt> codes;
    private Switch cases;
    private boolean explicitlyNamed;

    public Fsm(S initial) {
        Class<S> type = initial.getDeclaringClass();
        S[] all = type.getEnumConstants();
        int width = Math.max(1, 32 - Integer.numberOfLeadingZeros(all.length - 1));
        codes = new EnumMap<>(type);
        for (S s : all) codes.put(s, constant(s.name(), U(width, s.ordinal())));
        String name = Character.toLowerCase(type.getSimpleName().charAt(0)) + type.getSimpleName().substring(1);
        state = reg(uint(width), codes.get(initial)).named(name);
        nextState = wire(uint(width)).named(name + "_next");
        nextState.assign(state);
        state.next(nextState);
    }

    /** Names the state register (and its {@code _next} wire) explicitly. */
    public Fsm<S> named(String name) {
        explicitlyNamed = true;
        state.named(name);
        nextState.named(name + "_next");
        return this;
    }

    /** A machine held in a module field is named after the field (unless named explicitly). */
    @Override
    public void nameAfterField(String name) {
        if (explicitlyNamed) return;
        state.named(name);
        nextState.named(name + "_next");
    }

    /** The named constant that encodes {@code s}. */
    public UInt code(S s) {
        return codes.get(s);
    }

    /** High while the machine is in {@code s}. */
    public Bool is(S s) {
        return state.eq(codes.get(s));
    }

    /** Moves to {@code s} at the next clock edge (where the enclosing conditions hold). */
    public void goTo(S s) {
        nextState.assign(codes.get(s));
    }

    /** What the machine does in state {@code s}: one case of a {@code case} statement on the state register. */
    public Fsm<S> on(S s, Runnable actions) {
        if (cases == null) cases = switchOn(state);
        cases.is(codes.get(s), actions);
        return this;
    }

    /** High in the cycle before the machine enters {@code s} from another state. */
    public Bool entering(S s) {
        return nextState.eq(codes.get(s)).and(is(s).not());
    }

    /** High in the last cycle in {@code s} before the machine moves to another state. */
    public Bool leaving(S s) {
        return is(s).and(nextState.ne(codes.get(s)));
    }
}
