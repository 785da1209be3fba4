package io.github.jnic.jhdl;

/** A two's complement signed number: comparisons and right shifts are signed, resize sign-extends. */
public final class SInt extends BitVector<SInt> {
    SInt(Spec s) {
        super(s);
    }

    @Override
    Shape shape() {
        return Shape.SINT;
    }

    @Override
    public SInt cloneType() {
        return new SInt(Spec.type(width));
    }
}
