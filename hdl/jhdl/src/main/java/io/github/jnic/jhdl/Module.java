package io.github.jnic.jhdl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A hardware module: a class whose constructor builds its structure.
 *
 * <pre>{@code
 * class Counter extends Module {
 *     public final Bool enable = input(bool());
 *     public final UInt count = output(reg(uint(8), 0));
 *     Counter() {
 *         when(enable, () -> count.next(count.plus(1)));
 *     }
 * }
 * }</pre>
 *
 * Creating a module inside another's constructor makes it a submodule. Constructor arguments are
 * the parameters: each distinct structure becomes its own Verilog module. Fields (ports, wires,
 * registers, memories, submodules, and arrays or lists of them) are named after the Java fields.
 */
public abstract class Module extends Hdl {
    final Module parent;
    final List<Module> children = new ArrayList<>();
    /** Hardware declared here (ports, wires, registers), in creation order. */
    final List<Signal> signals = new ArrayList<>();
    /** Ports in declaration order (clock and reset ports are added in front when the design is emitted). */
    final List<Signal> ports = new ArrayList<>();
    final List<Mem<?>> mems = new ArrayList<>();
    final Stmt.Block body = new Stmt.Block();
    final List<PendingProblem> problems = new ArrayList<>();
    final SourceLocation location;
    /** Where assignments go now: the body, or the branch of a when/switch being built. */
    Stmt.Block block = body;
    /** The current clock domain: the default one, or the one of an enclosing withDomain. */
    ClockDomain domain;
    /** Clock, reset and enable as seen inside this module, per domain (filled when elaborated). */
    final Map<ClockDomain, Signal[]> domainSignals = new LinkedHashMap<>();
    /** Verilog names of the ports, unique and legal (filled when elaborated). */
    final Map<Signal, String> portNames = new java.util.IdentityHashMap<>();
    String name;
    boolean explicitName;

    /** A problem whose names are rendered once the design is named. */
    record PendingProblem(Problem.Kind kind, Supplier<String> subject, SourceLocation at, Supplier<String> why) {
        Problem render() {
            return new Problem(kind, subject.get(), at, why.get());
        }
    }

    /** A module in the clock domain current where it is created (the default domain for a top module). */
    protected Module() {
        this(null);
    }

    /** A module whose default clock domain is {@code defaultDomain}. */
    protected Module(ClockDomain defaultDomain) {
        Context.Snapshot s = Context.snapshot();
        parent = Context.enter(this, s);
        location = s.creator();
        domain = defaultDomain != null ? defaultDomain : parent != null ? parent.domain : ClockDomain.DEFAULT;
        if (parent != null) parent.children.add(this);
    }

    /** Names this instance explicitly (for submodules held in local variables). */
    @SuppressWarnings("unchecked")
    public <M extends Module> M named(String instanceName) {
        name = instanceName;
        explicitName = true;
        return (M) this;
    }

    /** The Verilog module name (before a suffix for other parameterizations): the class name by default. */
    protected String moduleName() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) c = c.getSuperclass();
        return c.getSimpleName();
    }

    public Module parent() {
        return parent;
    }

    /** The instance name (the Java field name) or, for the top, the module name. */
    public String name() {
        return name != null ? name : parent == null ? moduleName() : "<unnamed " + moduleName() + ">";
    }

    /** Hierarchical instance path, e.g. {@code Top.rx.crc}. */
    public String path() {
        return parent == null ? name() : parent.path() + "." + name();
    }

    public List<Module> children() {
        return List.copyOf(children);
    }

    @Override
    public String toString() {
        return path();
    }
}
