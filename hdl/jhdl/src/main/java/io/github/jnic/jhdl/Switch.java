package io.github.jnic.jhdl;

import java.math.BigInteger;

/** The cases of a {@code switchOn(selector)}; values are literals of the selector's type and width. */
public final class Switch {
    private final Module module;
    private final Stmt.Switch stmt;

    Switch(Module module, Stmt.Switch stmt) {
        this.module = module;
        this.stmt = stmt;
    }

    public Switch is(long value, Runnable body) {
        Signal sel = stmt.selector;
        Signal v = sel.shape() == Signal.Shape.BOOL ? Hdl.bool(value != 0)
                : Signal.literal(sel.shape(), sel.width, BigInteger.valueOf(value));
        return is(v, body);
    }

    /** A case on a literal (for instance a named {@link Hdl#constant}). */
    public Switch is(Signal value, Runnable body) {
        Signal sel = stmt.selector;
        if (!value.isLiteral() || value.width != sel.width) {
            Signal.widthProblem(sel, () -> "case value " + value.describeShort() + " must be a " + sel.width
                    + "-bit literal like the selector");
        }
        for (Stmt.Case c : stmt.cases) {
            if (c.value().isLiteral() && value.isLiteral() && c.value().unsignedValue().equals(value.unsignedValue())) {
                Signal.problemHere(Problem.Kind.ILLEGAL, sel, () -> "case " + value.describe() + " appears twice");
            }
        }
        Stmt.Case c = new Stmt.Case(value, new Stmt.Block());
        stmt.cases.add(c);
        When.run(module, c.body(), body);
        return this;
    }

    /** What happens for every value not listed (the Verilog {@code default}). */
    public void otherwise(Runnable body) {
        stmt.otherwise = new Stmt.Block();
        When.run(module, stmt.otherwise, body);
    }
}
