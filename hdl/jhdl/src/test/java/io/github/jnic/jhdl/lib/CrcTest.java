package io.github.jnic.jhdl.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRC parameter model against published check values, and the parallel masks against the serial register. */
class CrcTest {
    static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);
    static final int[] DATA_WIDTHS = {1, 2, 3, 4, 8, 16, 24, 32, 64};

    static List<Crc> catalogue() {
        return List.of(Crc.CRC32, Crc.CRC32C, Crc.CRC16_CCITT, Crc.CRC16_KERMIT, Crc.CRC8, Crc.CRC64_XZ);
    }

    @Test
    void checkValuesOfTheCatalogue() {
        assertEquals(0xCBF43926L, Crc.CRC32.compute(CHECK));
        assertEquals(0xE3069283L, Crc.CRC32C.compute(CHECK));
        assertEquals(0x29B1L, Crc.CRC16_CCITT.compute(CHECK));
        assertEquals(0x2189L, Crc.CRC16_KERMIT.compute(CHECK));
        assertEquals(0xF4L, Crc.CRC8.compute(CHECK));
        assertEquals(0x995DC9BBDF1939FAL, Crc.CRC64_XZ.compute(CHECK));
    }

    @Test
    void referenceMatchesTheJdkOnRandomData() {
        Random r = new Random(1);
        for (int n = 0; n < 200; n++) {
            byte[] data = new byte[r.nextInt(100)];
            r.nextBytes(data);
            CRC32 zip = new CRC32();
            zip.update(data);
            CRC32C castagnoli = new CRC32C();
            castagnoli.update(data);
            assertEquals(zip.getValue(), Crc.CRC32.compute(data));
            assertEquals(castagnoli.getValue(), Crc.CRC32C.compute(data));
        }
    }

    /** The serial register, fed words packed as the class documents, gives the reference CRC. */
    @ParameterizedTest
    @MethodSource("catalogue")
    void serialRegisterOverWordsGivesTheReference(Crc crc) {
        for (int bytesPerWord : new int[] {1, 2, 3, 4, 8}) {
            long reg = crc.initialRegister();
            for (int at = 0; at < CHECK.length; at += bytesPerWord) {
                int n = Math.min(bytesPerWord, CHECK.length - at);
                reg = crc.step(reg, word(crc, CHECK, at, n), 8 * n);
            }
            assertEquals(crc.compute(CHECK), crc.result(reg), crc.name() + " in words of " + bytesPerWord + " bytes");
        }
    }

    /** The XOR masks computed for a word width equal the serial register over that many bits, for any state and data. */
    @ParameterizedTest
    @MethodSource("catalogue")
    void masksMatchTheSerialRegister(Crc crc) {
        Random r = new Random(crc.name().hashCode());
        for (int w : DATA_WIDTHS) {
            Crc.Masks m = crc.masks(w);
            long dataMask = w == 64 ? -1L : (1L << w) - 1;
            long regMask = crc.width() == 64 ? -1L : (1L << crc.width()) - 1;
            for (int i = 0; i < 300; i++) {
                long reg = r.nextLong() & regMask, data = r.nextLong() & dataMask;
                assertEquals(crc.step(reg, data, w), m.apply(reg, data), crc.name() + ", " + w + " data bits");
            }
        }
    }

    @Test
    void otherWidthsAndPolynomials() {
        // CRC-5/USB (check 0x19), CRC-7/MMC (0x75), CRC-24/OPENPGP (0x21CF02)
        assertEquals(0x19, new Crc("CRC-5/USB", 5, 0x05, 0x1F, true, true, 0x1F).compute(CHECK));
        assertEquals(0x75, new Crc("CRC-7/MMC", 7, 0x09, 0, false, false, 0).compute(CHECK));
        assertEquals(0x21CF02, new Crc("CRC-24/OPENPGP", 24, 0x864CFB, 0xB704CE, false, false, 0).compute(CHECK));
        Crc crc5 = new Crc("CRC-5/USB", 5, 0x05, 0x1F, true, true, 0x1F);
        assertEquals(crc5.step(0x0A, 0x3C, 7), crc5.masks(7).apply(0x0A, 0x3C));
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Crc("x", 0, 1, 0, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Crc("x", 8, 0x107, 0, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Crc("x", 8, 0x06, 0, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> Crc.CRC32.masks(65));
        assertThrows(IllegalArgumentException.class, () -> Crc.CRC32.masks(0));
    }

    /** {@code n} bytes from {@code at} packed as the CRC takes them: little-endian if reflected, else big-endian. */
    static long word(Crc crc, byte[] data, int at, int n) {
        long w = 0;
        for (int i = 0; i < n; i++) {
            long b = data[at + i] & 0xff;
            w |= crc.reflectIn() ? b << (8 * i) : b << (8 * (n - 1 - i));
        }
        return w;
    }
}
