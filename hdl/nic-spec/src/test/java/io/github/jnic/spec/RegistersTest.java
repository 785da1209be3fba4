package io.github.jnic.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistersTest {

    @Test
    void theE1000RegistersSitAtTheDatasheetsOffsets() {
        // Offsets and bit positions from the 8254x Software Developer's Manual (section 13), typed in here by hand.
        assertEquals(0x0000, Registers.CTRL.offset());
        assertEquals(0x00C0, Registers.ICR.offset());
        assertEquals(0x00C4, Registers.ITR.offset());
        assertEquals(0x00D0, Registers.IMS.offset());
        assertEquals(0x0100, Registers.RCTL.offset());
        assertEquals(0x0400, Registers.TCTL.offset());
        assertEquals(0x2818, Registers.RDT.offset());
        assertEquals(0x282C, Registers.RADV.offset());
        assertEquals(0x3818, Registers.TDT.offset());
        assertEquals(0x382C, Registers.TADV.offset());
        assertEquals(0x4010, Registers.MPC.offset());
        assertEquals(0x40A0, Registers.RNBC.offset());
        assertEquals(0x5400, Registers.ral(0));
        assertEquals(0x540C, Registers.rah(1));
        assertEquals(1 << 7, Registers.Cause.RXT0.mask());
        assertEquals(1 << 26, Registers.Ctrl.RST.mask());
        assertEquals(3L << 16, Registers.Rctl.BSIZE.mask());
        assertEquals(1L << 31, Registers.RDTR.field("FPD").mask());
    }

    @Test
    void offsetsAreUniqueAndFieldsDoNotOverlap() {
        Set<Integer> offsets = new HashSet<>();
        for (Register r : Registers.all()) {
            assertTrue(offsets.add(r.offset()), r.name());
            long seen = 0;
            for (Field f : r.fields()) {
                assertTrue(f.msb() < 32, r.name() + "." + f.name());
                assertEquals(0, seen & f.mask(), r.name() + "." + f.name() + " overlaps");
                seen |= f.mask();
            }
            assertNotNull(Registers.at(r.offset()));
        }
        assertEquals(Registers.MTA_WORDS + 2 * Registers.RECEIVE_ADDRESSES, Registers.all().stream().filter(r -> r.name().matches("MTA\\d+|RA[LH]\\d")).count());
        assertFalse(Registers.RXFC.e1000());
    }

    @Test
    void mdicHasTheDatasheetsLayout() {
        // 8254x manual, 13.4.7 (MDI Control Register), typed in by hand
        assertEquals(0x0020, Registers.MDIC.offset());
        assertEquals(0xFFFFL, Registers.Mdic.DATA.mask());
        assertEquals(0x1FL << 16, Registers.Mdic.REGADD.mask());
        assertEquals(0x1FL << 21, Registers.Mdic.PHYADD.mask());
        assertEquals(3L << 26, Registers.Mdic.OP.mask());
        assertEquals(1L << 28, Registers.Mdic.R.mask());
        assertEquals(1L << 29, Registers.Mdic.I.mask());
        assertEquals(1L << 30, Registers.Mdic.E.mask());
        assertEquals(0x2FFF_FFFFL, Registers.storedBits(Registers.MDIC), "DATA, REGADD, PHYADD, OP and I; not R or E");
    }

    @Test
    void everyStatisticIsListedOnceAndPairsAreAdjacent() {
        Set<Register> seen = new HashSet<>();
        for (Statistic s : Registers.statistics()) {
            assertTrue(seen.add(s.low()), s.name());
            assertSame(s, Registers.statistic(s.low()));
            if (s.wide()) {
                assertTrue(seen.add(s.high()), s.name());
                assertEquals(s.low().offset() + 4, s.high().offset(), s.name());
                assertEquals(s.name() + "L", s.low().name());
                assertEquals(s.name() + "H", s.high().name());
                assertSame(s, Registers.statistic(s.high()));
            }
        }
        // every read-to-clear register but ICR is a statistic
        for (Register r : Registers.all()) {
            assertEquals(r.access() == Register.Access.RC && r != Registers.ICR, seen.contains(r), r.name());
        }
        assertEquals(List.of("GORC", "GOTC"), Registers.statistics().stream().filter(Statistic::wide).map(Statistic::name).toList());
        assertEquals(0x408C, Registers.GORCH.offset());
        assertEquals(0x4094, Registers.GOTCH.offset());
    }

    @Test
    void storedBitsLeaveOutCommandsAndCardStatus() {
        assertEquals(0, Registers.storedBits(Registers.CTRL) & Registers.Ctrl.RST.mask());
        assertEquals(Registers.Ctrl.VME.mask(), Registers.storedBits(Registers.CTRL) & Registers.Ctrl.VME.mask());
        assertEquals(0xFFFFL, Registers.storedBits(Registers.RDTR));
        assertEquals(0xFFFFL, Registers.storedBits(Registers.TIDV));
        assertEquals(0xFFFFL << 7 & 0xFFFFFL, Registers.storedBits(Registers.RDLEN));
        assertEquals(0xFFFF_FFF0L, Registers.storedBits(Registers.RDBAL), "a 16-byte aligned base");
        assertEquals(0xFFFF_FFFFL, Registers.storedBits(Registers.RDBAH));
        assertEquals(0, Registers.storedBits(Registers.STATUS));
        assertEquals(0, Registers.storedBits(Registers.ICR));
        assertEquals(0, Registers.storedBits(Registers.ICS));
        assertEquals(0, Registers.storedBits(Registers.GPRC));
    }

    @Test
    void repeatedRegistersAreTheNumberedOnes() {
        int members = 0;
        for (Register r : Registers.all()) {
            long in = Registers.repeated().stream().filter(a -> a.contains(r)).count();
            assertEquals(r.name().matches("(RAL|RAH|MTA)\\d+") ? 1 : 0, in, r.name());
            members += (int) in;
        }
        assertEquals(Registers.repeated().stream().mapToInt(Registers.Repeated::count).sum(), members);
    }

    @Test
    void descriptorFieldsTileSixteenBytes() {
        for (List<Field> layout : List.of(Descriptors.Rx.FIELDS, Descriptors.TxLegacy.FIELDS, Descriptors.TxContext.FIELDS, Descriptors.TxData.FIELDS)) {
            boolean[] bit = new boolean[128];
            int covered = 0;
            for (Field f : layout) {
                for (int b = f.lsb(); b <= f.msb(); b++) {
                    assertFalse(bit[b], f.name() + " overlaps at bit " + b);
                    bit[b] = true;
                    covered++;
                }
            }
            assertEquals(128, covered, "every bit of the descriptor belongs to a field");
        }
    }

    @Test
    void descriptorsReadAndWriteLittleEndianBytes() {
        ByteBuffer ring = ByteBuffer.allocate(64);
        Descriptors.put(ring, 16, Descriptors.Rx.ADDRESS, 0x1122_3344_5566_7788L);
        Descriptors.put(ring, 16, Descriptors.Rx.LENGTH, 0x05EE);
        assertEquals((byte) 0x88, ring.get(16));
        assertEquals((byte) 0x11, ring.get(23));
        assertEquals((byte) 0xEE, ring.get(24));
        assertEquals((byte) 0x05, ring.get(25));
        assertEquals(0x05EE, Descriptors.get(ring, 16, Descriptors.Rx.LENGTH));

        // PAYLEN is 20 bits from bit 64; DTYP the next 4: they share byte 10 of the context descriptor.
        Descriptors.put(ring, 32, Descriptors.TxContext.PAYLEN, 0xABCDE);
        Descriptors.put(ring, 32, Descriptors.TxContext.DTYP, Descriptors.DTYP_DATA);
        assertEquals((byte) 0xDE, ring.get(40));
        assertEquals((byte) 0xBC, ring.get(41));
        assertEquals((byte) 0x1A, ring.get(42));
        assertEquals(0xABCDE, Descriptors.get(ring, 32, Descriptors.TxContext.PAYLEN));
        assertEquals(1, Descriptors.get(ring, 32, Descriptors.TxContext.DTYP));
        assertThrows(IllegalArgumentException.class, () -> Descriptors.put(ring, 0, Descriptors.Rx.STATUS, 0x100));
    }
}
