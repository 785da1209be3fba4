package io.github.jnic.jhdl;

/** An unsigned number: arithmetic wraps at its width, comparisons are unsigned. */
public final class UInt extends BitVector<UInt> {
    UInt(Spec s) {
        super(s);
    }

    @Override
    Shape shape() {
        return Shape.UINT;
    }

    @Override
    public UInt cloneType() {
        return new UInt(Spec.type(width));
    }
}
