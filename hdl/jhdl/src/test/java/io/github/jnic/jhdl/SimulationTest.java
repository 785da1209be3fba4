package io.github.jnic.jhdl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.jhdl.examples.Crc32;
import io.github.jnic.jhdl.examples.MultiplyAccumulate;
import io.github.jnic.jhdl.examples.PatternDetector;
import io.github.jnic.jhdl.examples.Rom;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The emitted Verilog behaves as the Java references say, run in Icarus Verilog (independent of Verilator). */
class SimulationTest {

    @Test
    void crc32MatchesJavaUtilZip() throws Exception {
        Random random = new Random(1);
        byte[] data = new byte[200];
        random.nextBytes(data);
        // cycle 0: reset; 1: clear; then one byte per cycle; then one more cycle to see the result
        long[][] stim = new long[data.length + 3][];
        stim[0] = new long[] {1, 0, 0, 0};
        stim[1] = new long[] {0, 1, 0, 0};
        for (int i = 0; i < data.length; i++) stim[i + 2] = new long[] {0, 0, 1, data[i] & 0xff};
        stim[data.length + 2] = new long[] {0, 0, 0, 0};
        long[][] out = Iverilog.run(Verilog.emit(new Crc32(8)), "clk", List.of("reset", "clear", "valid", "data"), List.of("fcs"), stim);
        CRC32 reference = new CRC32();
        for (int n = 0; n <= data.length; n++) {
            assertEquals(reference.getValue(), out[n + 2][0], "after " + n + " bytes");
            if (n < data.length) reference.update(data[n] & 0xff);
        }
    }

    @Test
    void signedMultiplyAccumulateMatchesJavaArithmetic() throws Exception {
        Random random = new Random(2);
        int cycles = 300;
        long[][] stim = new long[cycles][];
        for (int t = 0; t < cycles; t++) {
            boolean reset = t == 0;
            boolean clear = random.nextInt(40) == 0;
            stim[t] = new long[] {reset ? 1 : 0, clear ? 1 : 0, random.nextInt(256), random.nextInt(256)};
        }
        long[][] out = Iverilog.run(Verilog.emit(new MultiplyAccumulate(8, 20)), "clk",
                List.of("reset", "clear", "a", "b"), List.of("acc", "negative", "half"), stim);
        long acc = 0;
        for (int t = 1; t < cycles; t++) {
            long signedAcc = acc << 44 >> 44; // 20-bit two's complement
            assertEquals(acc, out[t][0], "acc at " + t);
            assertEquals(signedAcc < 0 ? 1 : 0, out[t][1], "negative at " + t);
            assertEquals((signedAcc >> 1) & 0xFFFFF, out[t][2], "half at " + t);
            long a = (byte) stim[t][2], b = (byte) stim[t][3];
            acc = stim[t][1] == 1 ? 0 : (acc + a * b) & 0xFFFFF;
        }
    }

    @Test
    void patternDetectorFindsEvery1011() throws Exception {
        Random random = new Random(3);
        int cycles = 400;
        long[][] stim = new long[cycles][];
        for (int t = 0; t < cycles; t++) stim[t] = new long[] {t == 0 ? 1 : 0, random.nextInt(4) != 0 ? 1 : 0, random.nextInt(2)};
        long[][] out = Iverilog.run(Verilog.emit(new PatternDetector()), "clk", List.of("reset", "valid", "bit_"), List.of("found"), stim);
        int window = 0, seen = 0, found = 0;
        for (int t = 1; t < cycles; t++) {
            boolean expected = seen >= 4 && (window & 0xF) == 0b1011;
            assertEquals(expected ? 1 : 0, out[t][0], "found at " + t);
            if (expected) found++;
            if (stim[t][1] == 1) {
                window = window << 1 | (int) stim[t][2];
                seen++;
            }
        }
        assertEquals(true, found > 5, "the random stream should contain the pattern a few times: " + found);
    }

    @Test
    void romReturnsItsArrayOneCycleLater() throws Exception {
        long[] table = Rom.crc32Table();
        Random random = new Random(4);
        long[][] stim = new long[100][];
        for (int t = 0; t < stim.length; t++) stim[t] = new long[] {random.nextInt(256)};
        long[][] out = Iverilog.run(Verilog.emit(new Rom(32, table)), "clk", List.of("address"), List.of("data"), stim);
        for (int t = 1; t < stim.length; t++) assertEquals(table[(int) stim[t - 1][0]], out[t][0], "data at " + t);
    }

    @Test
    void aStreamFiresWhenTheReadyDrivenIntoTheFifoIsHigh() throws Exception {
        Random random = new Random(5);
        int cycles = 300;
        // reset, then random traffic and draining, then 8 cycles that empty the FIFO
        long[][] stim = new long[cycles][];
        for (int t = 0; t < cycles; t++) {
            boolean traffic = t > 0 && t < cycles - 8;
            stim[t] = new long[] {t == 0 ? 1 : 0, traffic && random.nextBoolean() ? 1 : 0, random.nextInt(256),
                    !traffic || random.nextInt(3) != 0 ? 1 : 0};
        }
        long[][] out = Iverilog.run(Verilog.emit(new LanguageTest.FiresFromAFifo()), "clk",
                List.of("reset", "in_valid", "in_payload", "drain"), List.of("in_ready", "valid", "fired", "payload", "taken"), stim);
        List<Long> accepted = new java.util.ArrayList<>(), delivered = new java.util.ArrayList<>();
        for (int t = 1; t < cycles; t++) {
            long valid = out[t][1], fired = out[t][2];
            assertEquals(valid & stim[t][3], fired, "fire = valid & ready at " + t);
            assertEquals(delivered.size() & 0xff, out[t][4], "beats taken before " + t);
            if (stim[t][1] == 1 && out[t][0] == 1) accepted.add(stim[t][2]);
            if (fired == 1) delivered.add(out[t][3]);
        }
        assertEquals(accepted, delivered, "every beat taken in comes out once, in order");
        assertEquals(true, delivered.size() > 50, "the random traffic should move many beats: " + delivered.size());
    }

    @Test
    void aReadSeesTheFinalValueOfATargetAssignedLater() throws Exception {
        long[][] out = Iverilog.run(Verilog.emit(new LanguageTest.ReadsFinalValue()), "clk", List.of("c"), List.of("x", "y"),
                new long[][] {{0}, {1}});
        assertEquals(List.of(0L, 3L), List.of(out[0][0], out[0][1]));
        assertEquals(List.of(1L, 1L), List.of(out[1][0], out[1][1]));
    }

    @Test
    void wiresComputedInsideTheirBlockGiveTheSameValues() throws Exception {
        Random random = new Random(11);
        long[][] stim = new long[200][];
        for (int t = 0; t < stim.length; t++) stim[t] = new long[] {t == 0 ? 1 : 0, random.nextInt(2), random.nextInt(4), random.nextInt(256), random.nextInt(256)};
        long[][] out = Iverilog.run(Verilog.emit(new LanguageTest.ComputedWhereRead()), "clk", List.of("reset", "take", "sel", "a", "b"),
                List.of("hi", "lo", "state", "carry", "mixed", "seen"), stim);
        long hi = 0, lo = 0, state = 0, carry = 0, mixed = 0;
        for (int t = 0; t < stim.length; t++) {
            long take = stim[t][1], sel = stim[t][2], a = stim[t][3], b = stim[t][4];
            if (t > 0) assertEquals(List.of(hi, lo, state, carry, mixed, a ^ b), List.of(out[t][0], out[t][1], out[t][2], out[t][3], out[t][4], out[t][5]), "at " + t);
            if (t == 0) continue; // reset
            if (take == 1) {
                hi = ((a + b) >> 4) & 15;
                lo = (a + b) & 15;
                carry = (a + b) >> 8;
                mixed = ((a ^ b) + 1) & 255;
            }
            state = switch ((int) sel) {
                case 0 -> (a - b) & 255;
                case 1 -> (2 * (a - b)) & 255;
                case 2 -> a;
                default -> b;
            };
        }
    }
}
