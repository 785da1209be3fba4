package io.github.jnic.jhdl;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Prints one module as Verilog-2005. Java names are kept; expressions are inlined into the
 * statement that uses them unless they are named in Java, shared, or need a name to be sliced
 * (then they become a wire). A wire read only inside one conditional part of a register block (an
 * {@code if} branch, a {@code case}, a register's enable) is computed there instead, as a variable
 * of that named block, so a simulator evaluates it only when that part runs (see {@link #localize}).
 * The text is a pure function of the design, so it is deterministic.
 */
final class ModuleWriter {
    static final String NAME = "\u0000MODULE\u0000";

    private static final Set<String> KEYWORDS = Set.of(
            "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex", "casez", "cell",
            "cmos", "config", "deassign", "default", "defparam", "design", "disable", "edge", "else", "end", "endcase",
            "endconfig", "endfunction", "endgenerate", "endmodule", "endprimitive", "endspecify", "endtable", "endtask",
            "event", "for", "force", "forever", "fork", "function", "generate", "genvar", "highz0", "highz1", "if",
            "ifnone", "incdir", "include", "initial", "inout", "input", "instance", "integer", "join", "large",
            "liblist", "library", "localparam", "macromodule", "medium", "module", "nand", "negedge", "nmos", "nor",
            "noshowcancelled", "not", "notif0", "notif1", "or", "output", "parameter", "pmos", "posedge", "primitive",
            "pull0", "pull1", "pulldown", "pullup", "pulsestyle_ondetect", "pulsestyle_onevent", "rcmos", "real",
            "realtime", "reg", "release", "repeat", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared",
            "showcancelled", "signed", "small", "specify", "specparam", "strong0", "strong1", "supply0", "supply1",
            "table", "task", "time", "tran", "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg",
            "unsigned", "use", "uwire", "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor",
            "xor",
            // SystemVerilog's, since tools read .v files with them reserved
            "alias", "always_comb", "always_ff", "always_latch", "assert", "assume", "before", "bind", "bins", "binsof",
            "bit", "break", "byte", "chandle", "checker", "class", "clocking", "const", "constraint", "context",
            "continue", "cover", "covergroup", "coverpoint", "cross", "dist", "do", "endchecker", "endclass",
            "endclocking", "endgroup", "endinterface", "endpackage", "endprogram", "endproperty", "endsequence", "enum",
            "eventually", "expect", "export", "extends", "extern", "final", "first_match", "foreach", "forkjoin",
            "global", "iff", "ignore_bins", "illegal_bins", "implements", "implies", "import", "inside", "int",
            "interconnect", "interface", "intersect", "join_any", "join_none", "let", "local", "logic", "longint",
            "matches", "modport", "nettype", "new", "nexttime", "null", "package", "packed", "priority", "program",
            "property", "protected", "pure", "rand", "randc", "randcase", "randsequence", "ref", "reject_on",
            "restrict", "return", "s_always", "s_eventually", "s_nexttime", "s_until", "s_until_with", "sequence",
            "shortint", "shortreal", "soft", "solve", "static", "string", "strong", "struct", "super",
            "sync_accept_on", "sync_reject_on", "tagged", "this", "throughout", "timeprecision", "timeunit", "type",
            "typedef", "union", "unique", "unique0", "until", "until_with", "untyped", "var", "virtual", "void",
            "wait_order", "weak", "wildcard", "with", "within");

    private final Module m;
    private final Map<Module, String> moduleNames;
    private final Map<Object, String> names = new IdentityHashMap<>();
    private final Set<String> taken = new HashSet<>();
    /** Declared signals whose bits are read somewhere (for the unused-signal waiver). */
    private final Map<Signal, BitSet> readBits = new IdentityHashMap<>();
    private final Map<Signal, Integer> uses = new IdentityHashMap<>();
    /** Expression nodes printed as wires (named in Java, shared, or sliced), in creation order. */
    private final List<Signal> wires = new ArrayList<>();
    private final Map<String, Signal> constants = new LinkedHashMap<>();
    /** Child input port -> expression printed in the instance's port list. */
    private final Map<Signal, Signal> inlinePorts = new IdentityHashMap<>();
    private final Map<Stmt, Set<Object>> touchCache = new IdentityHashMap<>();
    private final Set<Signal> procedural = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Wires that stay module-level although only a conditional part of a block reads them (not all their bits are read). */
    private final Set<Signal> keptWires;
    /** Per register group, the parts of its block: a {@link Stmt.Block} or an enabled {@link Stmt.Assign} -> its place. */
    private final Map<Group, Map<Object, Place>> places = new IdentityHashMap<>();
    /** Wires computed inside a block instead of by an assign, in creation order. */
    private final List<Signal> locals = new ArrayList<>();
    private Map<Object, Place> printing;
    private int temps;

    ModuleWriter(Module m, Map<Module, String> moduleNames) {
        this(m, moduleNames, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private ModuleWriter(Module m, Map<Module, String> moduleNames, Set<Signal> keptWires) {
        this.m = m;
        this.moduleNames = moduleNames;
        this.keptWires = keptWires;
    }

    /** Verilog names of the top module's ports, in order (valid after {@link #write()}). */
    List<String> portNames() {
        List<String> out = new ArrayList<>();
        for (Signal p : m.ports) out.add(names.get(p));
        return out;
    }

    // ---- names -----------------------------------------------------------------------------------

    static String legal(String n) {
        StringBuilder b = new StringBuilder();
        for (char c : n.toCharArray()) b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '$') ? c : '_');
        String s = b.toString();
        if (s.isEmpty() || Character.isDigit(s.charAt(0)) || s.charAt(0) == '$') s = "_" + s;
        return KEYWORDS.contains(s) ? s + "_" : s;
    }

    private String claim(Object o, String wanted) {
        String base = legal(wanted);
        String n = base;
        for (int i = 1; !taken.add(n); i++) n = base + "_" + i;
        names.put(o, n);
        return n;
    }

    private String temp(Object o) {
        String n;
        do n = "_t" + temps++; while (taken.contains(n));
        return claim(o, n);
    }

    // ---- analysis --------------------------------------------------------------------------------

    private List<Signal> rootsOf(Stmt.Block b) {
        List<Signal> roots = new ArrayList<>();
        for (Stmt s : b.items) {
            if (s instanceof Stmt.If i) {
                roots.add(i.cond);
                roots.addAll(rootsOf(i.then));
                roots.addAll(rootsOf(i.otherwise));
            } else if (s instanceof Stmt.Switch sw) {
                roots.add(sw.selector);
                for (Stmt.Case c : sw.cases) roots.addAll(rootsOf(c.body()));
                if (sw.otherwise != null) roots.addAll(rootsOf(sw.otherwise));
            } else {
                roots.addAll(Elaborator.operands(s));
                if (s instanceof Stmt.MemWrite w && w.lanes != null) {
                    // each lane slices the data and the mask: an expression needs a wire to be sliced
                    roots.add(w.data);
                    roots.add(w.lanes);
                }
            }
        }
        return roots;
    }

    private void count(Signal e) {
        int n = uses.merge(e, 1, Integer::sum);
        if (n > 1 || e.kind != Signal.Kind.EXPR) return;
        for (Signal a : e.args) count(a);
        if (e.op == Signal.Op.SLICE || e.op == Signal.Op.SEXT) {
            Signal base = stripCasts(e.args[0]);
            if (base.kind == Signal.Kind.EXPR) uses.merge(base, 2, Integer::sum); // needs a name to be indexed
        }
    }

    private static Signal stripCasts(Signal s) {
        while (s.kind == Signal.Kind.EXPR && s.op == Signal.Op.CAST) s = s.args[0];
        return s;
    }

    private static boolean cheap(Signal e) {
        Signal s = stripCasts(e);
        if (s.kind != Signal.Kind.EXPR) return true;
        return s.op == Signal.Op.SLICE && stripCasts(s.args[0]).kind != Signal.Kind.EXPR;
    }

    /** Expression nodes that get a wire: named in Java, used more than once, or needing a name. */
    private void chooseWires(List<Signal> roots) {
        for (Signal r : roots) count(r);
        List<Signal> chosen = new ArrayList<>();
        for (var e : uses.entrySet()) {
            Signal s = e.getKey();
            if (s.kind != Signal.Kind.EXPR) continue;
            if (s.name != null || (s.op != Signal.Op.CAST && e.getValue() > 1 && !cheap(s))) chosen.add(s);
        }
        chosen.sort((a, b) -> Long.compare(a.serial, b.serial));
        wires.addAll(chosen);
    }

    // ---- grouping statements into always blocks ----------------------------------------------------

    private record MemKey(Mem<?> mem, ClockDomain domain) {}

    private Object key(Stmt s) {
        if (s instanceof Stmt.Assign a) return a.target;
        if (s instanceof Stmt.MemWrite w) return new MemKey(w.mem, w.domain);
        if (s instanceof Stmt.MemRead r) return r.target;
        return null;
    }

    private Set<Object> touches(Stmt s) {
        Set<Object> cached = touchCache.get(s);
        if (cached != null) return cached;
        Set<Object> out = new java.util.LinkedHashSet<>();
        if (s instanceof Stmt.If i) {
            for (Stmt x : i.then.items) out.addAll(touches(x));
            for (Stmt x : i.otherwise.items) out.addAll(touches(x));
        } else if (s instanceof Stmt.Switch sw) {
            for (Stmt.Case c : sw.cases) for (Stmt x : c.body().items) out.addAll(touches(x));
            if (sw.otherwise != null) for (Stmt x : sw.otherwise.items) out.addAll(touches(x));
        } else {
            out.add(key(s));
        }
        touchCache.put(s, out);
        return out;
    }

    /** Which always block a key belongs to: combinational, registers of a domain (with or without reset), a memory's. */
    private Object category(Object key) {
        if (key instanceof MemKey k) return List.of("mem", k.mem(), k.domain());
        Signal s = (Signal) key;
        if (s.kind == Signal.Kind.MEM_READ) return List.of("mem", s.mem, s.domain);
        if (s.kind == Signal.Kind.REG) {
            boolean reset = s.init != null && s.domain.reset() != ClockDomain.Reset.NONE;
            return List.of("reg", s.domain, reset);
        }
        return "comb";
    }

    private record Group(Object category, List<Object> keys, List<Stmt> roots) {}

    private List<Group> groups() {
        Map<Object, Object> parent = new LinkedHashMap<>();
        java.util.function.UnaryOperator<Object> find = new java.util.function.UnaryOperator<>() {
            public Object apply(Object k) {
                Object p = parent.get(k);
                if (p == k) return k;
                Object r = apply(p);
                parent.put(k, r);
                return r;
            }
        };
        for (Stmt s : m.body.items) {
            Map<Object, Object> firstOfCategory = new LinkedHashMap<>();
            for (Object k : touches(s)) {
                parent.putIfAbsent(k, k);
                Object first = firstOfCategory.putIfAbsent(category(k), k);
                if (first != null) parent.put(find.apply(k), find.apply(first));
            }
        }
        Map<Object, Group> byRoot = new LinkedHashMap<>();
        for (Object k : parent.keySet()) {
            byRoot.computeIfAbsent(find.apply(k), r -> new Group(category(k), new ArrayList<>(), new ArrayList<>())).keys().add(k);
        }
        for (Stmt s : m.body.items) {
            Set<Group> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Object k : touches(s)) {
                Group g = byRoot.get(find.apply(k));
                if (seen.add(g)) g.roots().add(s);
            }
        }
        List<Group> out = new ArrayList<>();
        for (Group g : byRoot.values()) {
            if (g.category().equals("comb") && g.keys().size() > 1 && readsItsOwnTargets(g)) {
                // in one always @* a target read after a partial assignment would give the value so far,
                // where jhdl promises the final one: each target gets its own block
                for (Object k : g.keys()) {
                    List<Stmt> roots = g.roots().stream().filter(s -> touches(s).contains(k)).toList();
                    out.add(new Group(g.category(), List.of(k), roots));
                }
            } else {
                out.add(g);
            }
        }
        return out;
    }

    /** True if a statement of a combinational group reads one of the group's targets. */
    private boolean readsItsOwnTargets(Group g) {
        Set<Object> keys = Collections.newSetFromMap(new IdentityHashMap<>());
        keys.addAll(g.keys());
        Stmt.Block b = new Stmt.Block();
        b.items.addAll(g.roots());
        for (Signal leaf : Elaborator.leaves(rootsOf(b))) if (keys.contains(leaf)) return true;
        return false;
    }

    /** A combinational target assigned only by top-level statements: printed as one continuous assign. */
    private static Signal simpleValue(Group g) {
        if (!g.category().equals("comb") || g.keys().size() != 1) return null;
        Signal last = null;
        for (Stmt s : g.roots()) {
            if (!(s instanceof Stmt.Assign a)) return null;
            last = a.value;
        }
        return last;
    }

    // ---- wires computed where they are read ------------------------------------------------------

    /**
     * A part of a register group's block that runs only on a condition: a branch of an {@code if}, a
     * {@code case} item, or a register's enabled update. The top of the block (no condition) has no
     * parent. {@code of} is the statement whose part this is: parts of one {@code if} or {@code case}
     * never run together.
     */
    private static final class Place {
        final Place parent;
        final Stmt of;
        final int depth;
        final List<Signal> locals = new ArrayList<>();

        Place(Place parent, Stmt of) {
            this.parent = parent;
            this.of = of;
            this.depth = parent == null ? 0 : parent.depth + 1;
        }
    }

    /**
     * Decides where each wire is computed. Every place that reads a wire is found by walking the
     * blocks as {@link #stmt} prints them (a wire's definition reads its operands where the wire is
     * computed, so wires are placed from the last made to the first). A wire read only inside one
     * conditional part of one register block is computed at the start of that part; when the parts
     * that read it are some of the branches of one {@code if} or {@code case}, in each of those. Any
     * other read (an assign, a combinational or memory block, an instance, an always header, the
     * unconditional top of a register block) keeps it a module-level wire.
     */
    private void localize(List<Group> groups) {
        Set<Signal> wireSet = Collections.newSetFromMap(new IdentityHashMap<>());
        wireSet.addAll(wires);
        Map<Signal, List<Place>> readAt = new IdentityHashMap<>();
        BiConsumer<Signal, Place> read = new BiConsumer<>() {
            public void accept(Signal e, Place p) {
                if (wireSet.contains(e)) {
                    readAt.computeIfAbsent(e, k -> new ArrayList<>()).add(p);
                } else if (e.kind == Signal.Kind.EXPR) {
                    for (Signal a : e.args) accept(a, p);
                }
            }
        };
        for (Group g : groups) {
            boolean reg = g.category() instanceof List<?> cat && cat.get(0).equals("reg");
            Map<Object, Place> ps = reg ? new LinkedHashMap<>() : null;
            if (reg) places.put(g, ps);
            walk(g.roots(), new HashSet<>(g.keys()), reg ? new Place(null, null) : null, ps, read);
        }
        for (Signal[] d : m.domainSignals.values()) for (Signal x : d) if (x != null) read.accept(x, null);
        List<Signal> byLast = new ArrayList<>(wires);
        Collections.reverse(byLast);
        for (Signal w : byLast) {
            List<Place> at = readAt.getOrDefault(w, List.of());
            List<Place> where = keptWires.contains(w) || at.isEmpty() || at.contains(null) ? List.of() : computedAt(at);
            if (where.isEmpty() || where.stream().anyMatch(p -> p.parent == null)) {
                for (Signal a : w.args) read.accept(a, null);
                continue;
            }
            locals.add(w);
            for (Place p : where) {
                p.locals.add(w);
                for (Signal a : w.args) read.accept(a, p);
            }
        }
        wires.removeAll(locals);
        locals.sort((a, b) -> Long.compare(a.serial, b.serial));
        for (Map<Object, Place> ps : places.values()) for (Place p : ps.values()) p.locals.sort((a, b) -> Long.compare(a.serial, b.serial));
    }

    /** The places a wire read at {@code at} is computed in: their common part, or the branches of it that read it. */
    private static List<Place> computedAt(List<Place> at) {
        Place common = at.get(0);
        for (Place p : at) common = commonPart(common, p);
        if (common == null || at.contains(common)) return common == null ? List.of() : List.of(common);
        Map<Place, List<Place>> byBranch = new LinkedHashMap<>();
        for (Place p : at) {
            Place branch = p;
            while (branch.parent != common) branch = branch.parent;
            byBranch.computeIfAbsent(branch, k -> new ArrayList<>()).add(p);
        }
        Stmt of = byBranch.keySet().iterator().next().of;
        boolean exclusive = byBranch.keySet().stream().allMatch(b -> b.of == of) && byBranch.size() < branches(of);
        if (!exclusive) return List.of(common);
        List<Place> out = new ArrayList<>();
        for (List<Place> reads : byBranch.values()) out.addAll(computedAt(reads));
        return out;
    }

    private static int branches(Stmt s) {
        if (s instanceof Stmt.If) return 2;
        if (s instanceof Stmt.Switch sw) return sw.cases.size() + 1;
        return 1;
    }

    private static Place commonPart(Place a, Place b) {
        if (a == null || b == null) return null;
        while (a.depth > b.depth) a = a.parent;
        while (b.depth > a.depth) b = b.parent;
        while (a != b) {
            a = a.parent;
            b = b.parent;
        }
        return a;
    }

    /** Reports what {@link #stmt} reads where; {@code ps} is null outside register blocks (everything is read at module level). */
    private void walk(List<Stmt> items, Set<Object> keys, Place p, Map<Object, Place> ps, BiConsumer<Signal, Place> read) {
        for (Stmt s : items) {
            if (Collections.disjoint(touches(s), keys)) continue;
            if (s instanceof Stmt.Assign a) {
                Place q = p;
                if (ps != null && a.target.enable != null) {
                    read.accept(a.target.enable, p);
                    q = part(ps, a, p, a);
                }
                read.accept(a.value, q);
            } else if (s instanceof Stmt.MemWrite || s instanceof Stmt.MemRead) {
                for (Signal x : Elaborator.operands(s)) read.accept(x, p);
            } else if (s instanceof Stmt.If i) {
                read.accept(i.cond, p);
                if (touchesAny(i.then, keys)) walk(i.then.items, keys, part(ps, i.then, p, i), ps, read);
                if (touchesAny(i.otherwise, keys)) walk(i.otherwise.items, keys, part(ps, i.otherwise, p, i), ps, read);
            } else if (s instanceof Stmt.Switch sw) {
                read.accept(sw.selector, p);
                boolean dflt = sw.otherwise != null && touchesAny(sw.otherwise, keys);
                for (Stmt.Case c : sw.cases) {
                    if (!touchesAny(c.body(), keys) && !dflt) continue;
                    read.accept(c.value(), p);
                    walk(c.body().items, keys, part(ps, c.body(), p, sw), ps, read);
                }
                if (dflt) walk(sw.otherwise.items, keys, part(ps, sw.otherwise, p, sw), ps, read);
            }
        }
    }

    private static Place part(Map<Object, Place> ps, Object key, Place parent, Stmt of) {
        return ps == null ? null : ps.computeIfAbsent(key, k -> new Place(parent, of));
    }

    /** The locals of the part printed for {@code key}, if any. */
    private Place localsOf(Object key) {
        Place p = printing == null ? null : printing.get(key);
        return p == null || p.locals.isEmpty() ? null : p;
    }

    /** {@code begin}, named and with its variables computed first when the part has locals. */
    private String begin(Object key, int indent) {
        Place p = localsOf(key);
        if (p == null) return "begin\n";
        StringBuilder b = new StringBuilder("begin : ").append(names.get(p)).append('\n');
        for (Signal w : p.locals) b.append(ind(indent)).append("reg  ").append(pad(range(w.width), 0)).append(names.get(w)).append(";\n");
        for (Signal w : p.locals) b.append(ind(indent)).append(names.get(w)).append(" = ").append(expr(w, true)).append(";\n");
        return b.toString();
    }

    /** Locals whose bits are not all read: Verilator -Wall would warn about them, so they stay module-level wires. */
    private List<Signal> partlyReadLocals() {
        List<Signal> out = new ArrayList<>();
        for (Signal w : locals) if (readBits.getOrDefault(w, new BitSet()).cardinality() != w.width) out.add(w);
        return out;
    }

    // ---- printing --------------------------------------------------------------------------------

    String write() {
        Set<Signal> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        while (true) {
            ModuleWriter w = new ModuleWriter(m, moduleNames, kept);
            String text = w.print();
            List<Signal> partly = w.partlyReadLocals();
            if (partly.isEmpty()) {
                names.putAll(w.names);
                return text;
            }
            kept.addAll(partly);
        }
    }

    private String print() {
        List<Group> groups = groups();
        List<Signal> roots = rootsOf(m.body);
        for (Signal s : m.signals) if (s.enable != null) roots.add(s.enable);
        for (Signal[] d : m.domainSignals.values()) {
            // a clock made by an expression other than an inversion is given a wire: always @(posedge name)
            if (d[0].kind == Signal.Kind.EXPR && fallingEdgeOf(d[0]) == null) {
                roots.add(d[0]);
                roots.add(d[0]);
            }
            // an internal domain's reset and enable are read in the always headers (a submodule input among them needs its wire)
            if (d[1] != null) roots.add(d[1]);
            if (d[2] != null) roots.add(d[2]);
        }
        Set<Signal> read = Elaborator.leaves(roots);
        for (Group g : groups) {
            if (simpleValue(g) != null) {
                Signal t = (Signal) g.keys().get(0);
                // a submodule input driven by one expression is written in the port list, unless read here too
                if (t.dir == Signal.Dir.IN && t.owner != m && !read.contains(t)) inlinePorts.put(t, simpleValue(g));
            } else {
                for (Object k : g.keys()) if (k instanceof Signal s) procedural.add(s);
            }
        }
        chooseWires(roots);
        localize(groups);

        // names: ports, then internal signals, memories, instances and their port wires, then expression wires
        for (Signal p : m.ports) claim(p, m.portNames.get(p));
        for (Signal s : m.signals) if (!names.containsKey(s)) claim(s, s.name != null ? s.name : "_t" + temps++);
        for (Mem<?> mem : m.mems) claim(mem, mem.name != null ? mem.name : "mem");
        for (Module c : m.children) claim(c, c.name);
        for (Module c : m.children) {
            for (Signal p : c.ports) {
                if (!inlinePorts.containsKey(p)) claim(p, names.get(c) + "_" + c.portNames.get(p));
            }
        }
        List<Signal> named = new ArrayList<>(wires);
        named.addAll(locals);
        named.sort((a, b) -> Long.compare(a.serial, b.serial));
        for (Signal w : named) {
            if (w.name != null) claim(w, w.name);
            else temp(w);
        }
        for (Map<Object, Place> ps : places.values()) {
            for (Place p : ps.values()) if (!p.locals.isEmpty()) claim(p, names.get(p.locals.get(0)) + "_scope");
        }

        StringBuilder logic = new StringBuilder();
        for (Signal w : wires) logic.append("  assign ").append(names.get(w)).append(" = ").append(expr(w, true)).append(";\n");
        StringBuilder sequential = new StringBuilder();
        StringBuilder memories = new StringBuilder();
        for (Group g : groups) {
            Signal simple = simpleValue(g);
            if (simple != null) {
                Signal t = (Signal) g.keys().get(0);
                if (!inlinePorts.containsKey(t)) logic.append("  assign ").append(names.get(t)).append(" = ").append(expr(simple)).append(";\n");
            } else if (g.category().equals("comb")) {
                logic.append("\n  always @* begin\n");
                block(logic, g.roots(), new HashSet<>(g.keys()), 2, false);
                logic.append("  end\n");
            } else if (g.category() instanceof List<?> cat && cat.get(0).equals("reg")) {
                registers(sequential, g, (ClockDomain) cat.get(1), (Boolean) cat.get(2));
            } else {
                ClockDomain d = (ClockDomain) ((List<?>) g.category()).get(2);
                memories.append("\n  always @(").append(edge(d)).append(") begin\n");
                boolean enabled = d.enableName() != null;
                if (enabled) memories.append("    if (").append(domainSignal(d, 2)).append(") begin\n");
                block(memories, g.roots(), new HashSet<>(g.keys()), enabled ? 3 : 2, true);
                if (enabled) memories.append("    end\n");
                memories.append("  end\n");
            }
        }
        StringBuilder instances = new StringBuilder();
        for (Module c : m.children) instance(instances, c);

        // declarations come last to print (they depend on what the logic used) but first in the file
        StringBuilder out = new StringBuilder();
        out.append("// Generated by jhdl from ").append(m.getClass().getName()).append(". Edit the Java source, not this file.\n");
        out.append("`default_nettype none\n\n");
        out.append("module ").append(NAME).append(" (\n");
        for (int i = 0; i < m.ports.size(); i++) {
            Signal p = m.ports.get(i);
            String kind = p.dir == Signal.Dir.IN ? "input  wire" : (isReg(p) ? "output reg " : "output wire");
            out.append("  ").append(kind).append(' ').append(pad(range(p.width), rangeWidth())).append(names.get(p));
            if (p.kind == Signal.Kind.REG && p.init != null && p.domain.reset() == ClockDomain.Reset.NONE) {
                out.append(" = ").append(literal(p.init)); // power-on value (no reset in this domain)
            }
            out.append(i + 1 < m.ports.size() ? ",\n" : "\n");
        }
        out.append(");\n");
        StringBuilder decls = new StringBuilder();
        for (Signal s : m.signals) {
            if (s.dir != Signal.Dir.NONE) continue;
            decls.append("  ").append(isReg(s) ? "reg  " : "wire ").append(pad(range(s.width), 0)).append(names.get(s));
            if (s.kind == Signal.Kind.REG && s.init != null && s.domain.reset() == ClockDomain.Reset.NONE) {
                decls.append(" = ").append(expr(s.init)); // power-on value (no reset in this domain)
            }
            decls.append(";\n");
        }
        for (Mem<?> mem : m.mems) {
            if (writeClocks(mem) > 1) {
                decls.append("  // written on two clocks (true dual port)\n  /* verilator lint_off MULTIDRIVEN */\n");
            }
            if (mem.style.attribute != null) decls.append("  (* ram_style = \"").append(mem.style.attribute).append("\" *)\n");
            decls.append("  reg  ").append(pad(range(mem.type.width), 0)).append(names.get(mem)).append(" [0:")
                    .append(mem.depth - 1).append("];\n");
            if (writeClocks(mem) > 1) decls.append("  /* verilator lint_on MULTIDRIVEN */\n");
        }
        for (Module c : m.children) {
            for (Signal p : c.ports) {
                if (inlinePorts.containsKey(p)) continue;
                boolean reg = p.dir == Signal.Dir.IN && procedural.contains(p);
                decls.append("  ").append(reg ? "reg  " : "wire ").append(pad(range(p.width), 0)).append(names.get(p)).append(";\n");
            }
        }
        for (Signal w : wires) decls.append("  wire ").append(pad(range(w.width), 0)).append(names.get(w)).append(";\n");
        StringBuilder params = new StringBuilder();
        for (Signal c : constants.values()) {
            params.append("  localparam ").append(range(c.width)).append(c.width > 1 ? " " : "").append(names.get(c))
                    .append(" = ").append(literal(c)).append(";\n");
        }
        decls.insert(0, params);
        if (decls.length() > 0) out.append('\n').append(decls);
        for (Mem<?> mem : m.mems) if (mem.init != null) initial(out, mem);
        if (logic.length() > 0) out.append('\n').append(logic);
        out.append(sequential).append(memories);
        if (instances.length() > 0) out.append(instances);
        unused(out);
        out.append("endmodule\n\n`default_nettype wire\n");
        return out.toString();
    }

    private int writeClocks(Mem<?> mem) {
        List<ClockDomain> clocks = new ArrayList<>();
        Elaborator.forEachLeaf(m.body, List.of(), (st, conds) -> {
            if (st instanceof Stmt.MemWrite w && w.mem == mem && clocks.stream().noneMatch(c -> c.sameClockAs(w.domain))) clocks.add(w.domain);
        });
        return clocks.size();
    }

    private boolean isReg(Signal s) {
        return s.kind == Signal.Kind.REG || s.kind == Signal.Kind.MEM_READ || procedural.contains(s);
    }

    private int rangeWidth() {
        int w = 0;
        for (Signal p : m.ports) w = Math.max(w, range(p.width).length());
        return w;
    }

    private static String range(int width) {
        return width == 1 ? "" : "[" + (width - 1) + ":0]";
    }

    private static String pad(String range, int to) {
        StringBuilder b = new StringBuilder(range);
        while (b.length() < to) b.append(' ');
        if (b.length() > 0) b.append(' ');
        return b.toString();
    }

    private void initial(StringBuilder out, Mem<?> mem) {
        out.append("\n  initial begin\n");
        for (int i = 0; i < mem.init.length; i++) {
            out.append("    ").append(names.get(mem)).append('[').append(i).append("] = ")
                    .append(literalText(mem.type.width, mem.init[i], mem.type.shape())).append(";\n");
        }
        out.append("  end\n");
    }

    /** The signal whose falling edge {@code clock} is, if it is the inversion of a signal with a name. */
    private static Signal fallingEdgeOf(Signal clock) {
        Signal c = stripCasts(clock);
        if (c.kind != Signal.Kind.EXPR || c.op != Signal.Op.NOT) return null;
        Signal x = stripCasts(c.args[0]);
        return x.kind == Signal.Kind.EXPR ? null : x;
    }

    /** {@code posedge clk}, or {@code negedge clk} for a domain clocked by {@code clk.not()}. */
    private String edge(ClockDomain d) {
        Signal clock = m.domainSignals.get(d)[0];
        Signal inverted = fallingEdgeOf(clock);
        return inverted != null ? "negedge " + expr(inverted) : "posedge " + expr(clock);
    }

    private String domainSignal(ClockDomain d, int which) {
        Signal s = m.domainSignals.get(d)[which];
        return expr(s);
    }

    private void registers(StringBuilder out, Group g, ClockDomain d, boolean withReset) {
        String rst = withReset ? domainSignal(d, 1) : null;
        out.append("\n  always @(").append(edge(d));
        if (withReset && d.reset() == ClockDomain.Reset.ASYNC) out.append(d.resetActiveLow() ? " or negedge " : " or posedge ").append(rst);
        out.append(") begin\n");
        String enable = d.enableName() != null ? "if (" + domainSignal(d, 2) + ") begin\n" : null;
        if (withReset) {
            out.append("    if (").append(d.resetActiveLow() ? "!" : "").append(rst).append(") begin\n");
            for (Object k : g.keys()) {
                Signal r = (Signal) k;
                out.append("      ").append(names.get(r)).append(" <= ").append(expr(r.init)).append(";\n");
            }
            out.append("    end else ").append(enable != null ? enable : "begin\n");
        } else if (enable != null) {
            out.append("    ").append(enable);
        }
        boolean nested = withReset || enable != null;
        printing = places.get(g);
        block(out, g.roots(), new HashSet<>(g.keys()), nested ? 3 : 2, true);
        printing = null;
        if (nested) out.append("    end\n");
        out.append("  end\n");
    }

    private static String ind(int n) {
        return "  ".repeat(n);
    }

    private void block(StringBuilder out, List<Stmt> items, Set<Object> keys, int indent, boolean seq) {
        for (Stmt s : items) {
            if (Collections.disjoint(touches(s), keys)) continue;
            stmt(out, s, keys, indent, seq);
        }
    }

    private boolean touchesAny(Stmt.Block b, Set<Object> keys) {
        for (Stmt s : b.items) if (!Collections.disjoint(touches(s), keys)) return true;
        return false;
    }

    private void stmt(StringBuilder out, Stmt s, Set<Object> keys, int indent, boolean seq) {
        String pre = ind(indent);
        if (s instanceof Stmt.Assign a && localsOf(a) != null) {
            out.append(pre).append("if (").append(expr(a.target.enable)).append(") ").append(begin(a, indent + 1));
            out.append(ind(indent + 1)).append(names.get(a.target)).append(" <= ").append(expr(a.value)).append(";\n");
            out.append(pre).append("end\n");
        } else if (s instanceof Stmt.Assign a) {
            out.append(pre);
            if (seq && a.target.enable != null) out.append("if (").append(expr(a.target.enable)).append(") ");
            out.append(names.get(a.target)).append(seq ? " <= " : " = ").append(expr(a.value)).append(";\n");
        } else if (s instanceof Stmt.MemWrite w && w.lanes == null) {
            out.append(pre).append(names.get(w.mem)).append('[').append(expr(w.address)).append("] <= ").append(expr(w.data)).append(";\n");
        } else if (s instanceof Stmt.MemWrite w) {
            int lane = w.data.width / w.lanes.width;
            for (int i = 0; i < w.lanes.width; i++) {
                String bits = "[" + ((i + 1) * lane - 1) + ":" + (i * lane) + "]";
                out.append(pre).append("if (").append(bits(w.lanes, i, i)).append(") ").append(names.get(w.mem)).append('[')
                        .append(expr(w.address)).append(']').append(bits).append(" <= ").append(bits(w.data, (i + 1) * lane - 1, i * lane))
                        .append(";\n");
            }
        } else if (s instanceof Stmt.MemRead r) {
            out.append(pre).append(names.get(r.target)).append(" <= ").append(names.get(r.target.mem)).append('[')
                    .append(expr(r.address)).append("];\n");
        } else if (s instanceof Stmt.If i) {
            boolean then = touchesAny(i.then, keys);
            Stmt.Block first = then ? i.then : i.otherwise;
            out.append(pre).append("if (").append(then ? expr(i.cond) : "!" + operand(i.cond)).append(") ").append(begin(first, indent + 1));
            block(out, first.items, keys, indent + 1, seq);
            Stmt.Block rest = then ? i.otherwise : null;
            while (rest != null && touchesAny(rest, keys)) {
                List<Stmt> live = rest.items.stream().filter(x -> !Collections.disjoint(touches(x), keys)).toList();
                if (live.size() == 1 && live.get(0) instanceof Stmt.If elif && touchesAny(elif.then, keys) && localsOf(rest) == null) {
                    out.append(pre).append("end else if (").append(expr(elif.cond)).append(") ").append(begin(elif.then, indent + 1));
                    block(out, elif.then.items, keys, indent + 1, seq);
                    rest = elif.otherwise;
                } else {
                    out.append(pre).append("end else ").append(begin(rest, indent + 1));
                    block(out, rest.items, keys, indent + 1, seq);
                    rest = null;
                }
            }
            out.append(pre).append("end\n");
        } else if (s instanceof Stmt.Switch sw) {
            boolean dflt = sw.otherwise != null && touchesAny(sw.otherwise, keys);
            out.append(pre).append("case (").append(expr(sw.selector)).append(")\n");
            for (Stmt.Case c : sw.cases) {
                boolean live = touchesAny(c.body(), keys);
                if (!live && !dflt) continue;
                out.append(pre).append("  ").append(expr(c.value())).append(": ").append(begin(c.body(), indent + 2));
                block(out, c.body().items, keys, indent + 2, seq);
                out.append(pre).append("  end\n");
            }
            out.append(pre).append("  default: ").append(dflt ? begin(sw.otherwise, indent + 2) : "begin\n");
            if (dflt) block(out, sw.otherwise.items, keys, indent + 2, seq);
            out.append(pre).append("  end\n");
            out.append(pre).append("endcase\n");
        }
    }

    private void instance(StringBuilder out, Module c) {
        out.append('\n');
        if (c instanceof BlackBox bb) {
            for (var e : bb.attributes.entrySet()) out.append("  (* ").append(e.getKey()).append(" = ").append(parameter(e.getValue())).append(" *)\n");
        }
        out.append("  ").append(moduleNames.get(c));
        if (c instanceof BlackBox bb && !bb.parameters.isEmpty()) {
            out.append(" #(\n");
            int i = 0;
            for (var e : bb.parameters.entrySet()) {
                out.append("    .").append(e.getKey()).append('(').append(parameter(e.getValue())).append(')')
                        .append(++i < bb.parameters.size() ? ",\n" : "\n");
            }
            out.append("  )");
        }
        out.append(' ').append(names.get(c)).append(" (\n");
        for (int i = 0; i < c.ports.size(); i++) {
            Signal p = c.ports.get(i);
            Signal inline = inlinePorts.get(p);
            String conn = inline != null ? expr(inline) : names.get(p);
            if (inline == null && p.dir == Signal.Dir.IN) markRead(p);
            out.append("    .").append(c.portNames.get(p)).append('(').append(conn).append(')').append(i + 1 < c.ports.size() ? ",\n" : "\n");
        }
        out.append("  );\n");
    }

    private String parameter(Object v) {
        if (v instanceof Signal s) return literal(s);
        if (v instanceof Boolean b) return b ? "1" : "0";
        if (v instanceof String s) return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return v.toString();
    }

    /** Bits declared here that nothing reads (expression wires' included); Verilator -Wall would warn about them, so they are listed once. */
    private void unused(StringBuilder out) {
        List<String> parts = new ArrayList<>();
        List<Signal> candidates = new ArrayList<>();
        for (Signal s : m.signals) if (s.dir != Signal.Dir.OUT) candidates.add(s);
        for (Module c : m.children) for (Signal p : c.ports) if (p.dir == Signal.Dir.OUT) candidates.add(p);
        candidates.addAll(wires); // an expression wire of which only some bits are sliced
        for (Signal s : candidates) {
            BitSet used = readBits.getOrDefault(s, new BitSet());
            if (used.cardinality() == s.width) continue;
            String n = names.get(s);
            if (used.isEmpty()) {
                parts.add(n);
                continue;
            }
            int hi = s.width - 1;
            while (hi >= 0) {
                if (used.get(hi)) { hi--; continue; }
                int lo = hi;
                while (lo > 0 && !used.get(lo - 1)) lo--;
                parts.add(hi == lo ? n + "[" + hi + "]" : n + "[" + hi + ":" + lo + "]");
                hi = lo - 1;
            }
        }
        if (parts.isEmpty()) return;
        out.append("\n  // Declared in Java but not read here.\n  /* verilator lint_off UNUSED */\n  wire _unused = &{1'b0, ")
                .append(String.join(", ", parts)).append(", 1'b0};\n  /* verilator lint_on UNUSED */\n");
    }

    // ---- expressions -----------------------------------------------------------------------------

    private void markRead(Signal s) {
        readBits.computeIfAbsent(s, k -> new BitSet()).set(0, s.width);
    }

    String expr(Signal s) {
        return expr(s, false);
    }

    /** Prints an expression; {@code define} prints the definition of a node that has a wire. */
    private String expr(Signal s, boolean define) {
        String n = names.get(s);
        if (n != null && !define) {
            markRead(s);
            return n;
        }
        if (s.kind == Signal.Kind.LITERAL) {
            if (s.constantName != null) {
                // one localparam per name and value (two different values under one name get distinct names)
                String key = s.constantName + "=" + s.width + "'" + s.unsignedValue();
                Signal c = constants.get(key);
                if (c == null) {
                    constants.put(key, s);
                    claim(s, s.constantName);
                    c = s;
                }
                return names.get(c);
            }
            return literal(s);
        }
        if (s.kind != Signal.Kind.EXPR) {
            // the checks rule out reading what a module cannot see: this is an emitter bug, not a design error
            throw new IllegalStateException(s.path() + " is read in " + m.path() + " but has no name there");
        }
        Signal[] a = s.args;
        boolean signed = a.length > 0 && a[0].shape() == Signal.Shape.SINT;
        return switch (s.op) {
            case CAST -> expr(a[0]);
            case NOT -> "~" + operand(a[0]);
            case AND -> chain(s, " & ");
            case OR -> chain(s, " | ");
            case XOR -> chain(s, " ^ ");
            case ADD -> chain(s, " + ");
            case SUB -> operand(a[0]) + " - " + operand(a[1]);
            case MUL -> operand(a[0]) + " * " + operand(a[1]);
            case NEG -> "-" + operand(a[0]);
            case EQ -> operand(a[0]) + " == " + operand(a[1]);
            case NE -> operand(a[0]) + " != " + operand(a[1]);
            case LT -> compare(a, " < ", signed);
            case LE -> compare(a, " <= ", signed);
            case GT -> compare(a, " > ", signed);
            case GE -> compare(a, " >= ", signed);
            case SHL -> operand(a[0]) + " << " + s.lo;
            case SHR -> signed ? "{$signed(" + expr(a[0]) + ") >>> " + s.lo + "}" : operand(a[0]) + " >> " + s.lo;
            case SHL_DYN -> operand(a[0]) + " << " + operand(a[1]);
            case SHR_DYN -> signed ? "{$signed(" + expr(a[0]) + ") >>> " + operand(a[1]) + "}" : operand(a[0]) + " >> " + operand(a[1]);
            case SLICE -> bits(a[0], s.hi, s.lo);
            case CAT -> {
                List<String> parts = new ArrayList<>();
                for (Signal p : a) parts.add(expr(p));
                yield "{" + String.join(", ", parts) + "}";
            }
            case ZEXT -> "{" + (s.width - a[0].width) + "'d0, " + expr(a[0]) + "}";
            case SEXT -> {
                int n2 = s.width - a[0].width;
                yield a[0].width == 1 ? "{" + (n2 + 1) + "{" + expr(a[0]) + "}}"
                        : "{{" + n2 + "{" + bits(a[0], a[0].width - 1, a[0].width - 1) + "}}, " + expr(a[0]) + "}";
            }
            case MUX -> operand(a[0]) + " ? " + operand(a[1]) + " : " + operand(a[2]);
            case AND_REDUCE -> "&" + operand(a[0]);
            case OR_REDUCE -> "|" + operand(a[0]);
            case XOR_REDUCE -> "^" + operand(a[0]);
            case MEM_ASYNC -> names.get(s.mem) + "[" + expr(a[0]) + "]";
        };
    }

    private String compare(Signal[] a, String op, boolean signed) {
        return signed ? "$signed(" + expr(a[0]) + ")" + op + "$signed(" + expr(a[1]) + ")" : operand(a[0]) + op + operand(a[1]);
    }

    /** Associative operators print flat: a ^ b ^ c rather than (a ^ b) ^ c. */
    private String chain(Signal s, String op) {
        StringBuilder b = new StringBuilder();
        for (Signal x : s.args) {
            if (b.length() > 0) b.append(op);
            boolean same = x.kind == Signal.Kind.EXPR && x.op == s.op && !names.containsKey(x);
            b.append(same ? chain(x, op) : operand(x));
        }
        return b.toString();
    }

    /** Bits hi..lo of any signal: a literal's bits, a slice of a name, or a slice of the node's wire. */
    private String bits(Signal s, int hi, int lo) {
        Signal b = stripCasts(s);
        if (b.kind == Signal.Kind.LITERAL) {
            BigInteger v = b.unsignedValue().shiftRight(lo).and(BigInteger.ONE.shiftLeft(hi - lo + 1).subtract(BigInteger.ONE));
            return literalText(hi - lo + 1, v, Signal.Shape.UINT);
        }
        if (!names.containsKey(b) && b.kind == Signal.Kind.EXPR && b.op == Signal.Op.SLICE) return bits(b.args[0], hi + b.lo, lo + b.lo);
        return slice(b, hi, lo);
    }

    private String slice(Signal base, int hi, int lo) {
        Signal b = stripCasts(base);
        String n = names.get(b);
        if (n == null) throw new IllegalStateException("a slice of an expression that has no wire: " + b.describe());
        readBits.computeIfAbsent(b, k -> new BitSet()).set(lo, hi + 1);
        if (b.width == 1) return n;
        return hi == lo ? n + "[" + hi + "]" : n + "[" + hi + ":" + lo + "]";
    }

    /** An operand of an operator: parenthesized unless it is a name, literal or self-delimited. */
    private String operand(Signal s) {
        String t = expr(s);
        Signal b = stripCasts(s);
        if (names.containsKey(b) || b.kind != Signal.Kind.EXPR) return t;
        return switch (b.op) {
            case SLICE, CAT, ZEXT, SEXT, MEM_ASYNC -> t;
            case SHR, SHR_DYN -> b.args[0].shape() == Signal.Shape.SINT ? t : "(" + t + ")";
            default -> "(" + t + ")";
        };
    }

    private static String literal(Signal s) {
        return literalText(s.width, s.unsignedValue(), s.shape());
    }

    static String literalText(int width, BigInteger v, Signal.Shape shape) {
        if (shape == Signal.Shape.BOOL || width == 1) return "1'b" + v;
        if (shape == Signal.Shape.BITS || v.bitLength() > 16 || (shape == Signal.Shape.SINT && v.testBit(width - 1))) {
            return width + "'h" + v.toString(16);
        }
        return width + "'d" + v;
    }
}
