package io.github.jnic.jhdl;

import java.util.List;

/**
 * Anything that is hardware or the type of hardware: a {@link Signal} (Bool, Bits, UInt, SInt) or a
 * {@link Bundle} of them. A freshly made value such as {@code uint(8)} is a <em>type</em>; it becomes
 * hardware when declared with {@code input}, {@code output}, {@code wire} or {@code reg}.
 */
public abstract class Data {
    String name;
    boolean explicitName;
    Module owner;
    SourceLocation location = SourceLocation.UNKNOWN;
    Bundle parent;
    boolean flipped;

    Data() {}

    /** How a type is turned into hardware. */
    enum Role { INPUT, OUTPUT, WIRE, REG }

    /** The Java name (field name, or the one given with {@code named}); null while unnamed. */
    public String name() {
        return name;
    }

    /** The module that owns this hardware; null for types and literals. */
    public Module owner() {
        return owner;
    }

    /** Where this was created (or declared, for ports, wires and registers). */
    public SourceLocation location() {
        return location;
    }

    /** Hierarchical name, e.g. {@code Top.rx.count}. */
    public String path() {
        String local = name != null ? name : describe();
        return owner != null ? owner.path() + "." + local : local;
    }

    String describe() {
        return "<unnamed>";
    }

    /** True for a type that is not (yet) hardware. */
    public abstract boolean isType();

    /** A fresh, unbound type of the same shape (for generic code that needs "another one of these"). */
    public abstract Data cloneType();

    /** The leaf signals, in declaration order. */
    public abstract List<Signal> leaves();

    abstract void bind(Role role, boolean flippedParity, Module owner, SourceLocation at);

    void setName(String n, boolean explicit) {
        if (explicit) {
            name = n;
            explicitName = true;
        } else if (!explicitName && name == null) {
            name = n;
        }
    }
}
