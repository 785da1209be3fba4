package io.github.jnic.nic.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.jhdl.lib.Crc;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The constant MacRx compares its CRC register with, checked against the CRC library and java.util.zip. */
class CrcResidueTest {
    @Test
    void everyFrameFollowedByItsFcsLeavesTheSameRegister() {
        Random random = new Random(7);
        for (int n : new int[] {0, 1, 60, 1514}) {
            byte[] frame = new byte[n];
            random.nextBytes(frame);
            CRC32 zip = new CRC32();
            zip.update(frame);
            long fcs = zip.getValue();
            long register = Crc.CRC32.initialRegister();
            for (byte b : frame) register = Crc.CRC32.step(register, b & 0xff, 8);
            for (int i = 0; i < 4; i++) register = Crc.CRC32.step(register, fcs >>> (8 * i) & 0xff, 8);
            assertEquals(MacRx.CRC_RESIDUE, Crc.CRC32.result(register), "frame of " + n + " bytes");
        }
    }
}
