package io.github.jnic.demo;

import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes TCP state changes into the journal: {@link #check} compares each connection of the
 * watched hosts with what it was at the last look, and notes the connections that are gone (the
 * TIME-WAIT timer having fired, or the last ACK having arrived). Call it on the hosts' stack thread.
 */
final class TcpWatch {
    private record Watched(String host, Tcp tcp, Map<TcpConnection, TcpState> states) {}

    private final Journal journal;
    private final List<Watched> watched = new ArrayList<>();

    TcpWatch(Journal journal) {
        this.journal = journal;
    }

    void add(String host, Tcp tcp) {
        watched.add(new Watched(host, tcp, new HashMap<>()));
    }

    void check(long now) {
        for (Watched w : watched) check(w, now);
    }

    private void check(Watched w, long now) {
        Map<TcpConnection, TcpState> seen = new HashMap<>();
        for (TcpConnection c : w.tcp().connections()) {
            TcpState before = w.states().getOrDefault(c, TcpState.CLOSED), state = c.state();
            seen.put(c, state);
            if (state == before) continue;
            String ends = journal.addr(c.localAddress()) + ":" + c.localPort() + " ↔ " + journal.addr(c.remoteAddress()) + ":" + c.remotePort();
            // Both transitions in one step: a server that closes as soon as it reads the FIN passes CLOSE_WAIT at once.
            String through = before == TcpState.ESTABLISHED && state == TcpState.LAST_ACK ? " → CLOSE_WAIT" : "";
            journal.event(now, "tcp", w.host(), "state " + before + through + " → " + state + "  (" + ends + ")");
            if (state == TcpState.TIME_WAIT) {
                journal.event(now, "tcp", w.host(), "timer: TIME-WAIT for " + seconds(w.tcp().config().timeWait)
                        + ", so no late segment of this connection can be taken for a new one");
            }
        }
        for (Map.Entry<TcpConnection, TcpState> e : w.states().entrySet()) {
            if (seen.containsKey(e.getKey())) continue;
            journal.event(now, "tcp", w.host(), e.getValue() == TcpState.TIME_WAIT
                    ? "timer fired: TIME-WAIT over, state TIME_WAIT → CLOSED, the connection is forgotten"
                    : "state " + e.getValue() + " → CLOSED, the connection is forgotten");
        }
        w.states().clear();
        w.states().putAll(seen);
    }

    private static String seconds(long nanos) {
        return nanos % 1_000_000_000L == 0 ? nanos / 1_000_000_000L + " s" : nanos / 1_000_000 + " ms";
    }
}
