package io.github.jnic.testbench.axi;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.jhdl.lib.axi.Axi4Join;
import io.github.jnic.jhdl.lib.axi.Axi4Lite;

/** Two {@link DmaCopy} engines sharing one AXI4 port through an {@link Axi4Join}: the join's test design. */
public class TwoCopies extends Module {
    public final Axi4Lite regs0 = input(new Axi4Lite(8));
    public final Axi4Lite regs1 = input(new Axi4Lite(8));
    public final Axi4 dma;
    public final Bool irq0 = output(bool());
    public final Bool irq1 = output(bool());

    public TwoCopies() {
        DmaCopy a = new DmaCopy().named("copy0");
        DmaCopy b = new DmaCopy().named("copy1");
        Axi4Join join = new Axi4Join(a.dma, 2).named("join");
        dma = output(join.out.cloneType());
        a.regs.connectFrom(regs0);
        b.regs.connectFrom(regs1);
        join.masters.get(0).connectFrom(a.dma);
        join.masters.get(1).connectFrom(b.dma);
        dma.connectFrom(join.out);
        irq0.assign(a.irq);
        irq1.assign(b.irq);
    }
}
