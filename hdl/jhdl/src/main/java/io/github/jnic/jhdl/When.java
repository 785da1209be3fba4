package io.github.jnic.jhdl;

/** The rest of a {@code when(...)}: {@code .elseWhen(cond, body)} and {@code .otherwise(body)}. */
public final class When {
    private final Module module;
    private Stmt.If last;

    When(Module module, Stmt.If stmt) {
        this.module = module;
        this.last = stmt;
    }

    public When elseWhen(Bool cond, Runnable body) {
        Stmt.If next = new Stmt.If(cond, Context.location());
        cond.requireHardware(module);
        last.otherwise.add(next);
        run(module, next.then, body);
        last = next;
        return this;
    }

    public void otherwise(Runnable body) {
        run(module, last.otherwise, body);
    }

    static void run(Module m, Stmt.Block block, Runnable body) {
        Stmt.Block saved = m.block;
        m.block = block;
        try {
            body.run();
        } finally {
            m.block = saved;
        }
    }
}
