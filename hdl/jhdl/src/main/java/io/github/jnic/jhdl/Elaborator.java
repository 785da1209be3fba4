package io.github.jnic.jhdl;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a constructed design into one ready to print: names everything after the Java fields, gives
 * modules the clock and reset ports of the domains they use, and checks the rules (drivers, widths,
 * latches, loops, hierarchy, clock-domain crossings). Runs once per design.
 */
final class Elaborator {
    private static final Set<Module> DONE = Collections.newSetFromMap(new java.util.WeakHashMap<>());
    private static final Map<Module, ElaborationException> FAILED = new java.util.WeakHashMap<>();

    private final Module top;
    private final List<Module> modules = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    /** Every leaf statement with the conditions (and switch selectors) that enclose it. */
    private final Map<Signal, List<Guarded>> drives = new IdentityHashMap<>();
    private final List<Guarded> memPorts = new ArrayList<>();

    record Guarded(Stmt stmt, Module module, List<Signal> conditions) {}

    private Elaborator(Module top) {
        this.top = top;
    }

    static synchronized void elaborate(Module top) {
        if (top.parent != null) throw new IllegalArgumentException(top.path() + " is not a top-level module");
        if (DONE.contains(top)) return;
        if (FAILED.containsKey(top)) throw FAILED.get(top); // elaboration changed the design: do not run it twice
        Elaborator e = new Elaborator(top);
        e.collect(top);
        for (Module m : e.modules) e.name(m);
        e.domains();
        for (Module m : e.modules) portNames(m);
        for (Module m : e.modules) for (Module.PendingProblem p : m.problems) e.problems.add(p.render());
        e.check();
        if (!e.problems.isEmpty()) {
            ElaborationException failure = new ElaborationException(e.problems);
            FAILED.put(top, failure);
            throw failure;
        }
        DONE.add(top);
    }

    private void collect(Module m) {
        modules.add(m);
        for (Module c : m.children) collect(c);
    }

    // ---- naming ----------------------------------------------------------------------------------

    private void name(Module m) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = m.getClass(); c != Module.class && c != BlackBox.class; c = c.getSuperclass()) chain.add(0, c);
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) continue;
                try {
                    f.setAccessible(true);
                    nameValue(m, f.getName(), f.get(m));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a field jhdl cannot read is simply not used for naming
                }
            }
        }
        for (Signal s : m.signals) {
            Data root = s;
            while (root.parent != null) root = root.parent;
            if (root instanceof Bundle b) b.nameElements();
            if (s.kind == Signal.Kind.MEM_READ && s.name == null && s.mem.name != null) s.setName(s.mem.name + "_rdata", false);
        }
        // instance names are unique within a module, so that paths in messages are too
        Set<String> taken = new HashSet<>();
        for (Module c : m.children) {
            String base = c.name != null ? c.name : Character.toLowerCase(c.moduleName().charAt(0)) + c.moduleName().substring(1);
            String n = base;
            for (int i = 1; !taken.add(n); i++) n = base + "_" + i;
            c.name = n;
        }
    }

    private void nameValue(Module m, String n, Object v) {
        if (v instanceof Data d) {
            if (d.owner == m || (d instanceof Signal s && s.kind == Signal.Kind.EXPR)) {
                d.setName(n, false);
                if (d instanceof Bundle b) b.nameElements();
            }
        } else if (v instanceof Module c) {
            if (c.parent == m && c.name == null) c.name = n;
        } else if (v instanceof Mem<?> mem) {
            if (mem.owner == m && mem.name == null) mem.name = n;
        } else if (v instanceof Object[] array) {
            for (int i = 0; i < array.length; i++) nameValue(m, n + "_" + i, array[i]);
        } else if (v instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) nameValue(m, n + "_" + i, list.get(i));
        } else if (v instanceof FieldNamed f) {
            f.nameAfterField(n);
        }
    }

    private static void portNames(Module m) {
        Set<String> taken = new HashSet<>();
        for (Signal p : m.ports) {
            String base = ModuleWriter.legal(p.name != null ? p.name : "port");
            String n = base;
            for (int i = 1; !taken.add(n); i++) n = base + "_" + i;
            m.portNames.put(p, n);
        }
    }

    // ---- clock domains -----------------------------------------------------------------------------

    /**
     * The module where an internal domain's clock is visible: the module of the clock signal, or of
     * the signals an expression clock (such as {@code clk.not()}) is made of; null if there are none.
     */
    private static Module home(ClockDomain d) {
        Signal c = d.clockSignal();
        if (c.kind == Signal.Kind.EXPR) {
            Set<Signal> leaves = leaves(List.of(c));
            if (leaves.isEmpty()) return null;
            c = leaves.iterator().next();
        }
        if (c.owner == null) return null;
        return c.dir == Signal.Dir.OUT && c.owner.parent != null ? c.owner.parent : c.owner;
    }

    private final Set<ClockDomain> homeless = new HashSet<>();

    private void domains() {
        used(top);
    }

    /**
     * The domains a module needs from outside (and whether it needs their reset); creates their
     * ports and connects its children.
     */
    private Map<ClockDomain, Boolean> used(Module m) {
        Map<ClockDomain, Boolean> used = new LinkedHashMap<>();
        for (Signal s : m.signals) {
            if (s.domain != null && (s.kind == Signal.Kind.REG || s.kind == Signal.Kind.MEM_READ)) {
                used.merge(s.domain, s.init != null, Boolean::logicalOr);
            }
        }
        forEachLeaf(m.body, List.of(), (st, conds) -> {
            if (st instanceof Stmt.MemWrite w) used.merge(w.domain, false, Boolean::logicalOr);
        });
        for (Module c : m.children) used(c).forEach((d, reset) -> used.merge(d, reset, Boolean::logicalOr));
        Map<String, Signal> portNames = new LinkedHashMap<>();
        List<Signal> domainPorts = new ArrayList<>();
        for (var e : used.entrySet()) {
            ClockDomain d = e.getKey();
            if (d.isInternal() && home(d) == null) {
                if (homeless.add(d)) {
                    problems.add(new Problem(Problem.Kind.ILLEGAL, d.clockSignal().path(), d.clockSignal().location,
                            "clocks domain " + d + " but is a constant; a clock must come from a port, wire or register"));
                }
                continue;
            }
            if (d.isInternal() && home(d) == m) {
                m.domainSignals.put(d, new Signal[] {d.clockSignal(), d.resetSignal(), d.enableSignal()});
                continue;
            }
            if (d.isInternal() && (m.parent == null || !isAncestor(home(d), m))) {
                problems.add(new Problem(Problem.Kind.HIERARCHY, d.clockSignal().path(), d.clockSignal().location,
                        "clocks domain " + d + ", which is used in " + m.path() + ", outside " + home(d).path() + " where the clock is"));
                continue;
            }
            Signal[] ports = {
                domainPort(m, d.clockName(), true, portNames),
                d.resetName() != null && e.getValue() ? domainPort(m, d.resetName(), false, portNames) : null,
                d.enableName() != null ? domainPort(m, d.enableName(), false, portNames) : null,
            };
            for (Signal p : ports) if (p != null && !domainPorts.contains(p)) domainPorts.add(p);
            m.domainSignals.put(d, ports);
        }
        m.ports.addAll(0, domainPorts);
        m.signals.addAll(0, domainPorts);
        for (Module c : m.children) {
            Set<Signal> connected = Collections.newSetFromMap(new IdentityHashMap<>());
            for (var e : c.domainSignals.entrySet()) {
                Signal[] inner = e.getValue();
                if (e.getKey().isInternal() && home(e.getKey()) == c) continue;
                Signal[] outer = m.domainSignals.get(e.getKey());
                for (int i = 0; i < 3; i++) {
                    if (inner[i] == null || outer == null || !connected.add(inner[i])) continue;
                    Stmt.Assign a = new Stmt.Assign(inner[i], outer[i], m, c.location);
                    m.body.add(a);
                    inner[i].assignments.add(a);
                }
            }
        }
        used.keySet().removeIf(d -> d.isInternal() && (home(d) == m || home(d) == null));
        return used;
    }

    /** The port {@code name} of {@code m}, shared by domains that name the same clock, reset or enable. */
    private Signal domainPort(Module m, String name, boolean clock, Map<String, Signal> ports) {
        Signal existing = ports.get(name);
        if (existing != null) {
            if (existing.clock != clock) {
                problems.add(new Problem(Problem.Kind.ILLEGAL, m.path() + "." + name, m.location,
                        "is both a clock and a reset or enable of the clock domains used in " + m.path() + "; give them distinct names"));
            }
            return existing;
        }
        Bool p = new Bool(Signal.Spec.type(1));
        p.kind = Signal.Kind.WIRE;
        p.dir = Signal.Dir.IN;
        p.owner = m;
        p.location = m.location;
        p.clock = clock;
        p.setName(name, true);
        ports.put(name, p);
        return p;
    }

    private static boolean isAncestor(Module a, Module m) {
        for (Module x = m; x != null; x = x.parent) if (x == a) return true;
        return false;
    }

    // ---- statements ------------------------------------------------------------------------------

    interface LeafVisitor {
        void visit(Stmt leaf, List<Signal> conditions);
    }

    /** Visits assignments and memory ports with the conditions and selectors that enclose them. */
    static void forEachLeaf(Stmt.Block b, List<Signal> conds, LeafVisitor v) {
        for (Stmt s : b.items) {
            if (s instanceof Stmt.If i) {
                List<Signal> inner = plus(conds, i.cond);
                forEachLeaf(i.then, inner, v);
                forEachLeaf(i.otherwise, inner, v);
            } else if (s instanceof Stmt.Switch sw) {
                List<Signal> inner = plus(conds, sw.selector);
                for (Stmt.Case c : sw.cases) forEachLeaf(c.body(), inner, v);
                if (sw.otherwise != null) forEachLeaf(sw.otherwise, inner, v);
            } else {
                v.visit(s, conds);
            }
        }
    }

    private static List<Signal> plus(List<Signal> l, Signal s) {
        List<Signal> out = new ArrayList<>(l);
        out.add(s);
        return out;
    }

    /** The statements' operands that are not conditions. */
    static List<Signal> operands(Stmt s) {
        if (s instanceof Stmt.Assign a) return List.of(a.value);
        if (s instanceof Stmt.MemWrite w) return w.lanes == null ? List.of(w.address, w.data) : List.of(w.address, w.data, w.lanes);
        if (s instanceof Stmt.MemRead r) return List.of(r.address);
        return List.of();
    }

    /** Signals (ports, wires, registers, memory read data) an expression reads, through expression nodes. */
    static void leavesOf(Signal e, Set<Signal> out, Set<Signal> seen) {
        if (!seen.add(e)) return;
        switch (e.kind) {
            case EXPR -> {
                for (Signal a : e.args) leavesOf(a, out, seen);
            }
            case LITERAL, TYPE -> { }
            default -> out.add(e);
        }
    }

    static Set<Signal> leaves(Iterable<Signal> roots) {
        Set<Signal> out = new LinkedHashSet<>();
        Set<Signal> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Signal r : roots) leavesOf(r, out, seen);
        return out;
    }

    // ---- checks ----------------------------------------------------------------------------------

    private void check() {
        for (Module m : modules) {
            forEachLeaf(m.body, List.of(), (s, conds) -> {
                if (s instanceof Stmt.Assign a) drives.computeIfAbsent(a.target, k -> new ArrayList<>()).add(new Guarded(s, m, conds));
                else memPorts.add(new Guarded(s, m, conds));
            });
        }
        for (Module m : modules) {
            checkVisibility(m);
            checkDrivers(m);
            checkUndriven(m);
            checkLatches(m);
        }
        if (checkLoops()) checkCrossings();
    }

    private static boolean visible(Signal s, Module m) {
        return s.owner == m || (s.dir != Signal.Dir.NONE && s.owner != null && s.owner.parent == m);
    }

    private void checkVisibility(Module m) {
        Set<Signal> reported = new HashSet<>();
        forEachLeaf(m.body, List.of(), (s, conds) -> {
            List<Signal> roots = new ArrayList<>(conds);
            roots.addAll(operands(s));
            if (s instanceof Stmt.Assign a && a.target.enable != null) roots.add(a.target.enable);
            for (Signal leaf : leaves(roots)) {
                if (!visible(leaf, m) && reported.add(leaf)) {
                    problems.add(new Problem(Problem.Kind.HIERARCHY, leaf.path(), s.at, "read in " + m.path()
                            + " but it belongs to " + leaf.owner.path() + " (created at " + leaf.location
                            + "); bring it through a port"));
                }
            }
        });
        for (Signal s : m.signals) {
            if (s.enable != null) {
                for (Signal leaf : leaves(List.of(s.enable))) {
                    if (!visible(leaf, m) && reported.add(leaf)) {
                        problems.add(new Problem(Problem.Kind.HIERARCHY, leaf.path(), s.location,
                                "enables a register of " + m.path() + " but belongs to " + leaf.owner.path()));
                    }
                }
            }
        }
        // an internal domain's clock, reset and enable are read where the clock is
        for (var e : m.domainSignals.entrySet()) {
            ClockDomain d = e.getKey();
            if (!d.isInternal() || home(d) != m) continue;
            SourceLocation at = m.signals.stream().filter(s -> d.equals(s.domain)).map(s -> s.location).findFirst().orElse(m.location);
            for (Signal s : e.getValue()) {
                if (s == null) continue;
                for (Signal leaf : leaves(List.of(s))) {
                    if (!visible(leaf, m) && reported.add(leaf)) {
                        problems.add(new Problem(Problem.Kind.HIERARCHY, leaf.path(), at, "drives clock domain " + d + " in "
                                + m.path() + " but belongs to " + leaf.owner.path() + "; bring it through a port"));
                    }
                }
            }
        }
    }

    private void checkDrivers(Module m) {
        forEachLeaf(m.body, List.of(), (s, conds) -> {
            if (!(s instanceof Stmt.Assign a)) return;
            Signal t = a.target;
            if (t.owner == null) return; // types and expressions were reported when assigned
            boolean ok;
            String why;
            if (t.dir == Signal.Dir.IN) {
                ok = t.owner.parent == m;
                why = t.owner.parent == null ? "is an input of the top module, driven from outside"
                        : "is an input of " + t.owner.path() + ", driven by " + t.owner.parent.path();
            } else if (t.dir == Signal.Dir.OUT && t.owner instanceof BlackBox) {
                ok = false;
                why = "is an output of black box " + t.owner.path() + ", driven by it";
            } else {
                ok = t.owner == m;
                why = (t.dir == Signal.Dir.OUT ? "is an output of " : "belongs to ") + t.owner.path() + " and is driven there";
            }
            if (!ok) {
                problems.add(new Problem(Problem.Kind.MULTIPLE_DRIVERS, t.path(), a.at,
                        "assigned in " + m.path() + ", but it " + why));
            }
        });
    }

    private void checkUndriven(Module m) {
        if (!(m instanceof BlackBox)) {
            for (Signal s : m.signals) {
                if (!s.assignments.isEmpty()) continue;
                if (s.kind == Signal.Kind.REG) {
                    problems.add(new Problem(Problem.Kind.UNDRIVEN, s.path(), s.location, "register never gets a value: call next()"));
                } else if (s.kind == Signal.Kind.WIRE && s.dir != Signal.Dir.IN) {
                    problems.add(new Problem(Problem.Kind.UNDRIVEN, s.path(), s.location,
                            (s.dir == Signal.Dir.OUT ? "output" : "wire") + " is never assigned"));
                }
            }
        }
        for (Module c : m.children) {
            for (Signal p : c.ports) {
                if (p.dir == Signal.Dir.IN && p.assignments.isEmpty()) {
                    SourceLocation read = firstRead(m, p);
                    problems.add(new Problem(Problem.Kind.UNDRIVEN, p.path(), c.location, "input of " + c.path()
                            + " is not connected in " + m.path() + (read != null ? ", yet read at " + read : "")));
                }
            }
        }
    }

    /** Where a statement of {@code m} first reads {@code s} (in a condition or an operand), or null. */
    private static SourceLocation firstRead(Module m, Signal s) {
        SourceLocation[] at = {null};
        forEachLeaf(m.body, List.of(), (st, conds) -> {
            if (at[0] != null) return;
            List<Signal> roots = new ArrayList<>(conds);
            roots.addAll(operands(st));
            if (leaves(roots).contains(s)) at[0] = st.at;
        });
        return at[0];
    }

    private void checkLatches(Module m) {
        Set<Signal> checked = new HashSet<>();
        forEachLeaf(m.body, List.of(), (s, conds) -> {
            if (!(s instanceof Stmt.Assign a) || a.target.kind != Signal.Kind.WIRE || conds.isEmpty() || !checked.add(a.target)) return;
            if (!assignedOnEveryPath(m.body, a.target)) {
                problems.add(new Problem(Problem.Kind.LATCH, a.target.path(), a.at,
                        "is not assigned on every path, so it would keep its value (a latch); "
                                + "assign a default before the when/switch or add otherwise()"));
            }
        });
    }

    static boolean assignedOnEveryPath(Stmt.Block b, Signal t) {
        for (Stmt s : b.items) {
            if (s instanceof Stmt.Assign a && a.target == t) return true;
            if (s instanceof Stmt.If i && assignedOnEveryPath(i.then, t) && assignedOnEveryPath(i.otherwise, t)) return true;
            if (s instanceof Stmt.Switch sw && switchAssigns(sw, t)) return true;
        }
        return false;
    }

    private static boolean switchAssigns(Stmt.Switch sw, Signal t) {
        for (Stmt.Case c : sw.cases) if (!assignedOnEveryPath(c.body(), t)) return false;
        if (sw.otherwise != null) return assignedOnEveryPath(sw.otherwise, t);
        Set<BigInteger> values = new HashSet<>();
        for (Stmt.Case c : sw.cases) if (c.value().isLiteral()) values.add(c.value().unsignedValue());
        return sw.selector.width < 31 && values.size() == 1 << sw.selector.width;
    }

    /** Comb dependencies of a combinationally driven signal: what its values and conditions read. */
    private Set<Signal> combDeps(Signal t) {
        List<Signal> roots = new ArrayList<>();
        for (Guarded g : drives.getOrDefault(t, List.of())) {
            roots.addAll(g.conditions());
            roots.addAll(operands(g.stmt()));
        }
        return leaves(roots); // an asynchronous memory read depends on its address, an argument of the node
    }

    private final Map<Signal, Set<Signal>> depCache = new IdentityHashMap<>();

    private Set<Signal> deps(Signal t) {
        return depCache.computeIfAbsent(t, this::combDeps);
    }

    /** Finds combinational loops (Tarjan); returns true if there are none. */
    private boolean checkLoops() {
        Map<Signal, Integer> index = new IdentityHashMap<>();
        Map<Signal, Integer> low = new IdentityHashMap<>();
        ArrayDeque<Signal> stack = new ArrayDeque<>();
        Set<Signal> onStack = Collections.newSetFromMap(new IdentityHashMap<>());
        int[] counter = {0};
        boolean[] clean = {true};
        List<Signal> vertices = new ArrayList<>();
        for (Module m : modules) for (Signal s : m.signals) if (s.kind == Signal.Kind.WIRE) vertices.add(s);
        for (Signal v : vertices) {
            if (!index.containsKey(v)) strongConnect(v, index, low, stack, onStack, counter, clean);
        }
        return clean[0];
    }

    private void strongConnect(Signal v, Map<Signal, Integer> index, Map<Signal, Integer> low, ArrayDeque<Signal> stack,
                               Set<Signal> onStack, int[] counter, boolean[] clean) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (Signal w : deps(v)) {
            if (w.kind != Signal.Kind.WIRE) continue;
            if (!index.containsKey(w)) {
                strongConnect(w, index, low, stack, onStack, counter, clean);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<Signal> scc = new ArrayList<>();
            Signal w;
            do {
                w = stack.pop();
                onStack.remove(w);
                scc.add(w);
            } while (w != v);
            if (scc.size() > 1 || deps(v).contains(v)) {
                clean[0] = false;
                Set<Signal> members = Collections.newSetFromMap(new IdentityHashMap<>());
                members.addAll(scc);
                reportLoop(v, members);
            }
        }
    }

    private void reportLoop(Signal start, Set<Signal> scc) {
        // walk the component from start until it closes: that is one loop to print
        List<Signal> path = new ArrayList<>();
        Map<Signal, Integer> at = new IdentityHashMap<>();
        Signal v = start;
        while (!at.containsKey(v)) {
            at.put(v, path.size());
            path.add(v);
            Signal next = null;
            for (Signal w : deps(v)) if (scc.contains(w)) { next = w; break; }
            v = next;
        }
        List<Signal> loop = path.subList(at.get(v), path.size());
        StringBuilder text = new StringBuilder();
        for (Signal s : loop) text.append(s.path()).append(" (").append(firstAssignment(s)).append(") <- ");
        text.append(loop.get(0).path());
        problems.add(new Problem(Problem.Kind.COMBINATIONAL_LOOP, loop.get(0).path(), firstAssignment(loop.get(0)),
                "depends on itself without a register: " + text));
    }

    private static SourceLocation firstAssignment(Signal s) {
        return s.assignments.isEmpty() ? s.location : s.assignments.get(0).at;
    }

    // ---- clock-domain crossings ----------------------------------------------------------------------

    private final Map<Signal, Map<ClockDomain, Signal>> sourceCache = new IdentityHashMap<>();

    /** For each clock feeding a signal combinationally, one register (or memory port) that does. */
    private Map<ClockDomain, Signal> sources(Signal s) {
        Map<ClockDomain, Signal> cached = sourceCache.get(s);
        if (cached != null) return cached;
        Map<ClockDomain, Signal> out = new LinkedHashMap<>();
        sourceCache.put(s, out); // loops were ruled out; this also guards re-entry
        if (s.kind == Signal.Kind.REG || s.kind == Signal.Kind.MEM_READ) {
            out.put(s.domain, s);
        } else if (s.kind == Signal.Kind.WIRE) {
            for (Signal d : deps(s)) {
                for (var e : sources(d).entrySet()) {
                    boolean known = out.keySet().stream().anyMatch(k -> k.sameClockAs(e.getKey()));
                    if (!known) out.put(e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }

    private void checkCrossings() {
        for (Module m : modules) {
            for (Signal r : m.signals) {
                if (r.kind != Signal.Kind.REG || r.synchronizer) continue;
                if (r.enable != null && crossing(r.path(), r.domain, List.of(r.enable), r.location, "register enable")) continue;
                for (Guarded g : drives.getOrDefault(r, List.of())) {
                    List<Signal> roots = new ArrayList<>(g.conditions());
                    roots.addAll(operands(g.stmt()));
                    if (crossing(r.path(), r.domain, roots, g.stmt().at, "register")) break;
                }
            }
        }
        for (Guarded g : memPorts) {
            List<Signal> roots = new ArrayList<>(g.conditions());
            roots.addAll(operands(g.stmt()));
            if (g.stmt() instanceof Stmt.MemWrite w) crossing(w.mem.path(), w.domain, roots, w.at, "memory write");
            else if (g.stmt() instanceof Stmt.MemRead rd) crossing(rd.target.path(), rd.target.domain, roots, rd.at, "memory read");
        }
    }

    private boolean crossing(String subject, ClockDomain domain, List<Signal> roots, SourceLocation at, String what) {
        for (Signal leaf : leaves(roots)) {
            for (var e : sources(leaf).entrySet()) {
                if (!e.getKey().sameClockAs(domain)) {
                    Signal src = e.getValue();
                    problems.add(new Problem(Problem.Kind.CLOCK_DOMAIN_CROSSING, subject, at,
                            what + " clocked by " + domain + " reads " + src.path() + " (clocked by " + e.getKey()
                                    + (leaf != src ? ", through " + leaf.path() : "")
                                    + ") without a synchronizer; cross with a synchronizer, or call markSynchronizer() "
                                    + "on the register that is its first stage"));
                    return true;
                }
            }
        }
        return false;
    }
}
