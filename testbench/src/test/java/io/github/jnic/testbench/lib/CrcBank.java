package io.github.jnic.testbench.lib;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Crc;
import io.github.jnic.jhdl.lib.CrcGenerator;

/**
 * CRC generators of several algorithms and word widths side by side, sharing clear and enable, each
 * taking the low bits of {@code data} it needs: one simulation model for all the CRC tests.
 */
class CrcBank extends Module {
    /** Algorithm and bits per clock of each generator; its output is {@code crc_<index>}. */
    static final Object[][] GENERATORS = {
        {Crc.CRC32, 8}, {Crc.CRC32, 32}, {Crc.CRC32, 64}, {Crc.CRC16_CCITT, 16}, {Crc.CRC16_KERMIT, 8},
        {Crc.CRC8, 1}, {Crc.CRC8, 4}, {Crc.CRC64_XZ, 64}, {Crc.CRC32C, 24},
    };

    final Bool clear = input(bool());
    final Bool enable = input(bool());
    final UInt data = input(uint(64));
    final UInt[] crc = new UInt[GENERATORS.length];

    CrcBank() {
        for (int i = 0; i < GENERATORS.length; i++) {
            Crc algorithm = (Crc) GENERATORS[i][0];
            int width = (Integer) GENERATORS[i][1];
            CrcGenerator g = new CrcGenerator(algorithm, width).named("generator_" + i);
            g.clear.assign(clear);
            g.enable.assign(enable);
            g.data.assign(data.slice(width - 1, 0));
            crc[i] = output(uint(algorithm.width()));
            crc[i].assign(g.value);
        }
    }
}
