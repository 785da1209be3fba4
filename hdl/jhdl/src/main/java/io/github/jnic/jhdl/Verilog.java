package io.github.jnic.jhdl;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Checks a design and prints it as Verilog-2005, one module per file. */
public final class Verilog {
    private Verilog() {}

    /**
     * Elaborates {@code top} (naming, clock ports, checks) and prints every distinct module once.
     * Modules of the same class with different structure get deterministic suffixes
     * ({@code Fifo}, {@code Fifo_1}, ...); the top keeps its name.
     *
     * @throws ElaborationException listing every problem found
     */
    public static VerilogDesign emit(Module top) {
        Context.reset();
        Elaborator.elaborate(top);
        List<Module> postOrder = new ArrayList<>();
        postOrder(top, postOrder);

        Map<Module, String> names = new IdentityHashMap<>();
        Map<String, String> nameOfText = new HashMap<>();
        Set<String> taken = new HashSet<>();
        taken.add(ModuleWriter.legal(top.moduleName()));
        for (Module m : postOrder) if (m instanceof BlackBox bb) taken.add(bb.verilogName);
        TreeMap<String, String> files = new TreeMap<>();
        TreeMap<String, String> models = new TreeMap<>();
        List<String> topPorts = List.of();
        for (Module m : postOrder) {
            if (m instanceof BlackBox bb) {
                names.put(m, bb.verilogName);
                if (bb.simulationModel != null) {
                    String prev = models.put(bb.verilogName + ".v", bb.simulationModel);
                    if (prev != null && !prev.equals(bb.simulationModel)) {
                        throw new IllegalStateException("two different simulation models for " + bb.verilogName);
                    }
                }
                continue;
            }
            ModuleWriter w = new ModuleWriter(m, names);
            String text = w.write();
            if (m == top) topPorts = w.portNames();
            String key = m.moduleName() + "\n" + text;
            String name = nameOfText.get(key);
            if (name == null) {
                name = m == top ? ModuleWriter.legal(m.moduleName()) : unique(m.moduleName(), taken);
                nameOfText.put(key, name);
                files.put(name + ".v", text.replace(ModuleWriter.NAME, name));
            }
            names.put(m, name);
        }
        List<VerilogDesign.Port> ports = new ArrayList<>();
        for (int i = 0; i < top.ports.size(); i++) {
            Signal p = top.ports.get(i);
            ports.add(new VerilogDesign.Port(topPorts.get(i),
                    p.dir == Signal.Dir.IN ? VerilogDesign.Direction.INPUT : VerilogDesign.Direction.OUTPUT, p.width, p.clock));
        }
        return new VerilogDesign(names.get(top), files, models, ports);
    }

    private static String unique(String base, Set<String> taken) {
        String n = ModuleWriter.legal(base);
        for (int i = 1; !taken.add(n); i++) n = ModuleWriter.legal(base) + "_" + i;
        return n;
    }

    private static void postOrder(Module m, List<Module> out) {
        for (Module c : m.children) postOrder(c, out);
        out.add(m);
    }
}
