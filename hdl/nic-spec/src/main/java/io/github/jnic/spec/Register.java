package io.github.jnic.spec;

import java.util.List;

/**
 * One 32-bit register of the card: where it is, how software may touch it, its value after reset
 * and its fields. {@code e1000} tells whether the 8254x has the same register at the same offset
 * with the same meaning (else it is a jnic addition, in space the 8254x leaves free).
 */
public record Register(String name, int offset, Access access, long reset, boolean e1000, String doc, List<Field> fields) {

    /** How a register answers reads and writes. */
    public enum Access {
        /** Read and write; reads return what was written (reserved bits read 0). */
        RW,
        /** Read only; writes are ignored. */
        RO,
        /** Read only, cleared by the read (statistics, ICR). */
        RC,
        /** Write only; reads return 0. */
        WO
    }

    public Register {
        if ((offset & 3) != 0) throw new IllegalArgumentException(name + " at 0x" + Integer.toHexString(offset) + " is not 32-bit aligned");
        fields = List.copyOf(fields);
    }

    /** The field called {@code name}. */
    public Field field(String fieldName) {
        for (Field f : fields) if (f.name().equals(fieldName)) return f;
        throw new IllegalArgumentException(name + " has no field " + fieldName);
    }

    public String hexOffset() {
        return String.format("0x%04X", offset);
    }
}
