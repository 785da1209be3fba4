package io.github.jnic.jhdl;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory of {@code depth} words. Writes and synchronous reads happen on the clock of the domain
 * current where they are written; an enclosing {@code when} is the write (or read) enable. One write
 * and one synchronous read port infer a simple dual-port block RAM (iCE40 SB_RAM40_4K, ECP5 DP16KD);
 * a write and a read in each of two domains, a true dual-port one (ECP5). {@link #readAsync} reads
 * combinationally (distributed RAM or registers).
 *
 * <p>Synthesis chooses the kind of RAM by the memory's size; {@link #style} asks for one kind instead
 * (a small memory with a synchronous read in block RAM, where that frees the logic its LUT RAM and
 * read multiplexer take).
 */
public final class Mem<T extends Signal> {
    final T type;
    final int depth;
    final int addressWidth;
    final BigInteger[] init;
    final Module owner;
    final SourceLocation location;
    final List<Signal> readPorts = new ArrayList<>();
    String name;
    boolean explicitName;
    Style style = Style.AUTO;

    /**
     * The kind of RAM synthesis is asked to build a memory from, written as the memory's
     * {@code ram_style} attribute, which yosys's memory mapping (ECP5, iCE40, Xilinx) and vendor tools
     * read; simulators ignore it.
     */
    public enum Style {
        /** Synthesis chooses (no attribute). */
        AUTO(null),
        /** Block RAM (ECP5 DP16KD, iCE40 SB_RAM40_4K): only for synchronous reads. */
        BLOCK("block"),
        /** LUT RAM (ECP5 TRELLIS_DPR16X4). */
        DISTRIBUTED("distributed"),
        /** Flip-flops and multiplexers. */
        REGISTERS("registers");

        /** The {@code ram_style} value, or null for none. */
        final String attribute;

        Style(String attribute) {
            this.attribute = attribute;
        }

        /**
         * {@link #BLOCK} for a memory deeper than the 16 words of an ECP5 LUT RAM cell, where LUT RAM
         * takes a read multiplexer as well; {@link #AUTO} otherwise.
         */
        public static Style blockIfDeeperThanLutRam(int depth) {
            return depth > 16 ? BLOCK : AUTO;
        }
    }

    Mem(T type, int depth, BigInteger[] init) {
        if (depth < 1) throw new IllegalArgumentException("a memory needs at least one word");
        Context.Snapshot s = Context.snapshot();
        this.owner = Context.current(s);
        this.location = s.location();
        this.type = type;
        this.depth = depth;
        this.addressWidth = Math.max(1, 32 - Integer.numberOfLeadingZeros(depth - 1));
        if (init != null) {
            for (BigInteger v : init) {
                if (v.signum() < 0 || v.bitLength() > type.width) {
                    throw new IllegalArgumentException("memory word " + v + " does not fit in " + type.width + " bits (at " + location + ")");
                }
            }
        }
        this.init = init;
        owner.mems.add(this);
    }

    public int depth() {
        return depth;
    }

    /** The address width: ceil(log2(depth)), at least 1. */
    public int addressWidth() {
        return addressWidth;
    }

    public String name() {
        return name;
    }

    public Mem<T> named(String n) {
        name = n;
        explicitName = true;
        return this;
    }

    /** Asks synthesis for this kind of RAM ({@link Style}); a block RAM's reads must all be {@link #readSync}. */
    public Mem<T> style(Style s) {
        style = s;
        return this;
    }

    public Style style() {
        return style;
    }

    String path() {
        return owner.path() + "." + (name != null ? name : "<unnamed memory>");
    }

    /** Writes {@code data} at {@code address} on the next clock edge (of the current domain). */
    public void write(UInt address, T data) {
        write(address, data, null);
    }

    /**
     * Writes only the lanes of the word whose bit is set in {@code lanes} (bit 0 for the lowest
     * lane): a byte-enable write when the lanes are bytes. The word width must be a multiple of the
     * number of lanes. Block RAMs with write masks (iCE40, ECP5) take it as is.
     */
    public void write(UInt address, T data, Bits lanes) {
        Context.Snapshot s = Context.snapshot();
        Module m = Context.current(s);
        checkAddress(m, address, s.location());
        if (data.width != type.width) {
            m.problems.add(new Module.PendingProblem(Problem.Kind.WIDTH_MISMATCH, this::path, s.location(),
                    () -> "written with " + data.width + "-bit data, but words are " + type.width + " bits"));
        }
        if (lanes != null && type.width % lanes.width != 0) {
            m.problems.add(new Module.PendingProblem(Problem.Kind.WIDTH_MISMATCH, this::path, s.location(),
                    () -> "a " + type.width + "-bit word cannot be split into " + lanes.width + " write lanes"));
        }
        m.block.add(new Stmt.MemWrite(this, address, data, lanes, m.domain, m, s.location()));
    }

    /** The word at {@code address}, registered: it appears one clock edge (of the current domain) later. */
    @SuppressWarnings("unchecked")
    public T readSync(UInt address) {
        Context.Snapshot s = Context.snapshot();
        Module m = Context.current(s);
        checkAddress(m, address, s.location());
        T q = (T) type.cloneType();
        q.kind = Signal.Kind.MEM_READ;
        q.owner = m;
        q.location = s.location();
        q.mem = this;
        q.domain = m.domain;
        m.signals.add(q);
        readPorts.add(q);
        m.block.add(new Stmt.MemRead(q, address, s.location()));
        return q;
    }

    /** The word at {@code address}, combinationally (does not map to block RAM). */
    public T readAsync(UInt address) {
        Context.Snapshot s = Context.snapshot();
        Module m = Context.current(s);
        checkAddress(m, address, s.location());
        T q = Signal.expr(type.shape(), type.width, Signal.Op.MEM_ASYNC, 0, 0, address);
        q.mem = this;
        return q;
    }

    private void checkAddress(Module m, UInt address, SourceLocation at) {
        if (m != owner) {
            m.problems.add(new Module.PendingProblem(Problem.Kind.HIERARCHY, this::path, at,
                    () -> "used in " + m.path() + " but declared in " + owner.path()));
        }
        if (address.width != addressWidth) {
            m.problems.add(new Module.PendingProblem(Problem.Kind.WIDTH_MISMATCH, this::path, at,
                    () -> "addressed with " + address.width + " bits; a " + depth + "-word memory takes " + addressWidth));
        }
    }
}
