package io.github.jnic.jhdl;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A group of signals declared as fields, for example
 *
 * <pre>{@code
 * class Handshake extends Bundle {
 *     public final Bool valid = bool();
 *     public final Bool ready = flip(bool());   // goes the other way
 *     public final UInt data;
 *     Handshake(int width) { data = uint(width); }
 * }
 * }</pre>
 *
 * Declared with {@code output(new Handshake(8))}, {@code valid} and {@code data} are outputs and
 * {@code ready} an input; elements are named {@code <bundle>_<field>}. A bundle whose class has
 * constructor arguments overrides {@link #cloneType()}. A field left null is an optional element
 * this instance does not have.
 */
public abstract class Bundle extends Data {
    private List<Data> elements;
    private List<String> elementNames;

    protected Bundle() {}

    /** Marks an element as going against the bundle's direction. */
    protected static <T extends Data> T flip(T type) {
        type.flipped = !type.flipped;
        return type;
    }

    /** The elements, in field declaration order. */
    public List<Data> elements() {
        scan();
        return elements;
    }

    List<String> elementNames() {
        scan();
        return elementNames;
    }

    private void scan() {
        if (elements != null) return;
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = getClass(); c != Bundle.class; c = c.getSuperclass()) chain.add(0, c);
        elements = new ArrayList<>();
        elementNames = new ArrayList<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || !Data.class.isAssignableFrom(f.getType())) continue;
                try {
                    f.setAccessible(true);
                    Data d = (Data) f.get(this);
                    if (d == null) continue; // an optional element this instance leaves out
                    d.parent = this;
                    elements.add(d);
                    elementNames.add(f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read bundle element " + f, e);
                }
            }
        }
    }

    @Override
    public List<Signal> leaves() {
        List<Signal> out = new ArrayList<>();
        for (Data d : elements()) out.addAll(d.leaves());
        return out;
    }

    @Override
    public boolean isType() {
        return leaves().stream().allMatch(Signal::isType);
    }

    /** A fresh type of the same shape; the default uses the no-argument constructor. */
    @Override
    public Bundle cloneType() {
        try {
            var ctor = getClass().getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(getClass().getName() + " has constructor arguments: override cloneType()", e);
        }
    }

    @Override
    void bind(Role role, boolean flippedParity, Module m, SourceLocation at) {
        owner = m;
        location = at;
        for (Data d : elements()) d.bind(role, flippedParity != d.flipped, m, at);
    }

    @SuppressWarnings("unchecked")
    public <B extends Bundle> B named(String n) {
        setName(n, true);
        return (B) this;
    }

    /** Names the elements {@code <name>_<field>} (unless named explicitly). */
    void nameElements() {
        if (name == null) return;
        for (int i = 0; i < elements().size(); i++) {
            Data d = elements.get(i);
            d.setName(name + "_" + elementNames.get(i), false);
            if (d instanceof Bundle b) b.nameElements();
        }
    }

    /**
     * Connects a bundle of the same class: elements in the bundle's direction are driven from
     * {@code source}, flipped ones drive {@code source}. For example {@code child.in.connectFrom(in)}
     * or {@code out.connectFrom(child.out)}.
     */
    public void connectFrom(Bundle source) {
        if (source.getClass() != getClass()) {
            throw new IllegalArgumentException("connectFrom: " + getClass().getSimpleName() + " from " + source.getClass().getSimpleName());
        }
        connect(this, source, false);
    }

    private static void connect(Data sink, Data source, boolean flippedParity) {
        if (sink instanceof Bundle bs) {
            Bundle bsrc = (Bundle) source;
            for (int i = 0; i < bs.elements().size(); i++) {
                Data e = bs.elements().get(i);
                connect(e, bsrc.elements().get(i), flippedParity != e.flipped);
            }
        } else if (flippedParity) {
            ((Signal) source).assignFrom((Signal) sink);
        } else {
            ((Signal) sink).assignFrom((Signal) source);
        }
    }
}
