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

/**
 * Prints one module as Verilog-2005. Java names are kept; expressions are inlined into the
 * statement that uses them unless they are named in Java, shared, or need a name to be sliced
 * (then they become a wire). The text is a pure function of the design, so it is deterministic.
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
    private int temps;

    ModuleWriter(Module m, Map<Module, String> moduleNames) {
        this.m = m;
        this.moduleNames = moduleNames;
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

    // ---- printing --------------------------------------------------------------------------------

    String write() {
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
        for (Signal w : wires) {
            if (w.name != null) claim(w, w.name);
            else temp(w);
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
        block(out, g.roots(), new HashSet<>(g.keys()), nested ? 3 : 2, true);
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
        if (s instanceof Stmt.Assign a) {
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
            out.append(pre).append("if (").append(then ? expr(i.cond) : "!" + operand(i.cond)).append(") begin\n");
            block(out, (then ? i.then : i.otherwise).items, keys, indent + 1, seq);
            Stmt.Block rest = then ? i.otherwise : null;
            while (rest != null && touchesAny(rest, keys)) {
                List<Stmt> live = rest.items.stream().filter(x -> !Collections.disjoint(touches(x), keys)).toList();
                if (live.size() == 1 && live.get(0) instanceof Stmt.If elif && touchesAny(elif.then, keys)) {
                    out.append(pre).append("end else if (").append(expr(elif.cond)).append(") begin\n");
                    block(out, elif.then.items, keys, indent + 1, seq);
                    rest = elif.otherwise;
                } else {
                    out.append(pre).append("end else begin\n");
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
                out.append(pre).append("  ").append(expr(c.value())).append(": begin\n");
                block(out, c.body().items, keys, indent + 2, seq);
                out.append(pre).append("  end\n");
            }
            out.append(pre).append("  default: begin\n");
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

    /** Bits declared here that nothing reads; Verilator -Wall would warn about them, so they are listed once. */
    private void unused(StringBuilder out) {
        List<String> parts = new ArrayList<>();
        List<Signal> candidates = new ArrayList<>();
        for (Signal s : m.signals) if (s.dir != Signal.Dir.OUT) candidates.add(s);
        for (Module c : m.children) for (Signal p : c.ports) if (p.dir == Signal.Dir.OUT) candidates.add(p);
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
