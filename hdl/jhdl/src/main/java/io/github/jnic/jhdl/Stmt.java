package io.github.jnic.jhdl;

import java.util.ArrayList;
import java.util.List;

/** The statements a module's constructor records: assignments inside nested when/switch regions. */
abstract class Stmt {
    final SourceLocation at;

    Stmt(SourceLocation at) {
        this.at = at;
    }

    static final class Block {
        final List<Stmt> items = new ArrayList<>();

        void add(Stmt s) {
            items.add(s);
        }
    }

    /** {@code target = value} (or {@code <=} for a register), made in module {@code context}. */
    static final class Assign extends Stmt {
        final Signal target;
        final Signal value;
        final Module context;

        Assign(Signal target, Signal value, Module context, SourceLocation at) {
            super(at);
            this.target = target;
            this.value = value;
            this.context = context;
        }
    }

    static final class If extends Stmt {
        final Bool cond;
        final Block then = new Block();
        final Block otherwise = new Block();

        If(Bool cond, SourceLocation at) {
            super(at);
            this.cond = cond;
        }
    }

    static final class Switch extends Stmt {
        final Signal selector;
        final List<Case> cases = new ArrayList<>();
        Block otherwise;

        Switch(Signal selector, SourceLocation at) {
            super(at);
            this.selector = selector;
        }
    }

    record Case(Signal value, Block body) {}

    /** {@code mem[address] <= data} on the clock of {@code domain}; with a lane mask, only the enabled lanes. */
    static final class MemWrite extends Stmt {
        final Mem<?> mem;
        final UInt address;
        final Signal data;
        final Bits lanes;
        final ClockDomain domain;
        final Module context;

        MemWrite(Mem<?> mem, UInt address, Signal data, Bits lanes, ClockDomain domain, Module context, SourceLocation at) {
            super(at);
            this.mem = mem;
            this.address = address;
            this.data = data;
            this.lanes = lanes;
            this.domain = domain;
            this.context = context;
        }
    }

    /** {@code target <= mem[address]} on the clock of the target's domain. */
    static final class MemRead extends Stmt {
        final Signal target;
        final UInt address;

        MemRead(Signal target, UInt address, SourceLocation at) {
            super(at);
            this.target = target;
            this.address = address;
        }
    }
}
