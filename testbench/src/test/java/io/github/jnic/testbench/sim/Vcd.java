package io.github.jnic.testbench.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small VCD reader for tests: value changes by signal name (up to 64 bits), the first scope's
 * signal winning a name; a last line cut short by a kill is ignored.
 */
public record Vcd(Map<String, List<long[]>> byName) {

    /** [time, value] pairs, in order. */
    public List<long[]> changes(String name) {
        List<long[]> c = byName.get(name);
        if (c == null) throw new IllegalArgumentException("no signal " + name + " in " + byName.keySet());
        return c;
    }

    public static Vcd parse(String text) {
        Map<String, String> names = new HashMap<>();
        Map<String, List<long[]>> changes = new HashMap<>();
        boolean header = true;
        long time = 0;
        String[] lines = text.split("\n", -1);
        int complete = text.endsWith("\n") ? lines.length : lines.length - 1;
        for (int i = 0; i < complete; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) continue;
            if (header) {
                String[] f = line.split("\\s+");
                if (f[0].equals("$var")) {
                    String name = f[4];
                    if (!changes.containsKey(name)) { // the first scope (the top) wins
                        names.put(f[3], name);
                        changes.put(name, new ArrayList<>());
                    }
                } else if (f[0].equals("$enddefinitions")) {
                    header = false;
                }
                continue;
            }
            char c = line.charAt(0);
            if (c == '#') {
                time = Long.parseLong(line.substring(1));
            } else if (c == 'b') {
                int space = line.indexOf(' ');
                if (space > 65) continue; // wider than a long: not needed by the tests
                record(names, changes, line.substring(space + 1), time, Long.parseUnsignedLong(line.substring(1, space), 2));
            } else if (c == '0' || c == '1') {
                record(names, changes, line.substring(1), time, c - '0');
            }
        }
        if (header) throw new IllegalArgumentException("VCD header never ended");
        return new Vcd(changes);
    }

    private static void record(Map<String, String> names, Map<String, List<long[]>> changes, String id, long time, long value) {
        String name = names.get(id);
        if (name != null) changes.get(name).add(new long[] {time, value});
    }
}
