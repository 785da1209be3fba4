package io.github.jnic.testbench.irq;

import io.github.jnic.testbench.irq.ModerationModel.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** A directed stimulus: what happens in which cycle. */
final class Script implements ModerationBench.Stimulus {
    private final Map<Long, List<Consumer<Inputs>>> actions = new TreeMap<>();

    Script at(long cycle, Consumer<Inputs> action) {
        actions.computeIfAbsent(cycle, c -> new ArrayList<>()).add(action);
        return this;
    }

    Script frames(long... cycles) {
        for (long c : cycles) at(c, in -> in.rxFrameDone = true);
        return this;
    }

    Script read(long cycle) {
        return at(cycle, in -> in.icrRead = true);
    }

    Script mask(long cycle, long bits) {
        return at(cycle, in -> {
            in.imsWrite = true;
            in.imsWriteData = bits;
        });
    }

    @Override
    public void next(long cycle, ModerationModel model, Inputs in) {
        List<Consumer<Inputs>> a = actions.get(cycle);
        if (a != null) for (Consumer<Inputs> action : a) action.accept(in);
    }
}
