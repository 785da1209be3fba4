package io.github.jnic.net.tools;

import java.util.List;
import java.util.Locale;

/** One line of a trace: the probes sent with one TTL. */
public record TraceHop(int ttl, List<TraceProbe> probes) {

    /** Whether the trace stops here (the target answered, or something said it is unreachable). */
    public boolean isFinal() { return probes.stream().anyMatch(TraceProbe::isFinal); }

    /** Whether a probe of this hop was answered by the target itself. */
    public boolean reached() { return probes.stream().anyMatch(p -> p.answer() == TraceProbe.Answer.REACHED); }

    /** The addresses that answered, in probe order, without repeats. */
    public List<Integer> addresses() {
        return probes.stream().filter(TraceProbe::answered).map(TraceProbe::address).distinct().toList();
    }

    /**
     * The line traceroute(8) prints with {@code -n}: the TTL, then each probe's time, with the
     * address written before the first probe it answered and again whenever it changes;
     * {@code *} for a probe without an answer.
     */
    public String format() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%2d ", ttl));
        int last = 0;
        for (TraceProbe p : probes) {
            if (!p.answered()) {
                line.append(" *");
                continue;
            }
            if (p.address() != last) line.append(' ').append(p.addressText());
            last = p.address();
            line.append(String.format(Locale.ROOT, "  %.3f ms", p.rttNanos() / 1e6));
            if (!p.annotation().isEmpty()) line.append(' ').append(p.annotation());
        }
        return line.toString();
    }
}
