package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.MalformedException;
import io.github.jnic.net.app.Rejects;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Sends one question to a list of servers until one answers: a fresh random id and source port for
 * every attempt (RFC 5452), servers tried in turn with the timeout doubling after each round, a
 * truncated answer retried over TCP to the same server, and answers that do not match the
 * outstanding query exactly (server, port, id, question) counted and ignored. Shared by both
 * resolvers.
 */
final class DnsExchanger {
    static final int SERVER_PORT = 53;
    private static final int PORT_BASE = 49152;
    private static final int PORT_RANGE = 65536 - PORT_BASE;

    interface Done {
        void answered(DnsMessage response, int server, long now);

        void failed(String why, long now);
    }

    private final class Exchange {
        final long id = nextExchange++;
        final DnsMessage.Question question;
        final boolean recursionDesired;
        final List<Integer> servers;
        final Done done;
        int attempt = -1;
        int queryId;
        int localPort;
        boolean tcp;
        long deadline;

        Exchange(DnsMessage.Question question, boolean recursionDesired, List<Integer> servers, Done done) {
            this.question = question;
            this.recursionDesired = recursionDesired;
            this.servers = servers;
            this.done = done;
        }

        int server() {
            return servers.get(attempt % servers.size());
        }
    }

    private final RandomGenerator random;
    private final Rejects rejects;
    private final long timeout;
    private final int rounds;
    private final int serverPort;
    private long nextExchange = 1;
    private final Map<Long, Exchange> byId = new HashMap<>();
    private final Map<Integer, Exchange> byPort = new HashMap<>();
    private final ArrayDeque<DnsTransmission> outbox = new ArrayDeque<>();

    DnsExchanger(RandomGenerator random, Rejects rejects, long timeoutNanos, int rounds, int serverPort) {
        this.random = random;
        this.rejects = rejects;
        this.timeout = timeoutNanos;
        this.rounds = rounds;
        this.serverPort = serverPort;
    }

    long start(DnsMessage.Question question, boolean recursionDesired, List<Integer> servers, Done done, long now) {
        if (servers.isEmpty()) throw new IllegalArgumentException("no servers to ask");
        Exchange x = new Exchange(question, recursionDesired, List.copyOf(servers), done);
        byId.put(x.id, x);
        nextAttempt(x, now);
        return x.id;
    }

    DnsTransmission nextTransmission() {
        return outbox.poll();
    }

    boolean listensOn(int localPort) {
        return byPort.containsKey(localPort);
    }

    int pending() {
        return byId.size();
    }

    long poll(long now) {
        long next = Long.MAX_VALUE;
        for (Exchange x : List.copyOf(byId.values())) {
            if (x.deadline <= now) nextAttempt(x, now);
            if (byId.containsKey(x.id)) next = Math.min(next, x.deadline);
        }
        return next;
    }

    void receiveUdp(int localPort, int src, int srcPort, byte[] b, int off, int len, long now) {
        Exchange x = byPort.get(localPort);
        if (x == null || x.tcp || src != x.server() || srcPort != serverPort) {
            rejects.count(DnsReject.UNSOLICITED);
            return;
        }
        accept(x, b, off, len, now);
    }

    void receiveTcp(long exchange, byte[] b, int off, int len, long now) {
        Exchange x = byId.get(exchange);
        if (x == null || !x.tcp) {
            rejects.count(DnsReject.UNSOLICITED);
            return;
        }
        accept(x, b, off, len, now);
    }

    void tcpFailed(long exchange, long now) {
        Exchange x = byId.get(exchange);
        if (x != null && x.tcp) nextAttempt(x, now);
    }

    private void accept(Exchange x, byte[] b, int off, int len, long now) {
        DnsMessage m;
        try {
            m = DnsMessage.parse(b, off, len);
        } catch (MalformedException e) {
            rejects.count(e.reason()); // keep waiting: a forged or broken packet must not end the exchange
            return;
        }
        if (!m.isResponse() || m.id() != x.queryId || m.count(DnsMessage.Section.QUESTION) != 1 || !m.question(0).equals(x.question)) {
            rejects.count(DnsReject.UNSOLICITED);
            return;
        }
        if (m.truncated() && !x.tcp) {
            sendTcp(x, now);
            return;
        }
        int rcode = m.rcode();
        if (rcode != DnsType.NOERROR && rcode != DnsType.NXDOMAIN) {
            nextAttempt(x, now); // SERVFAIL, REFUSED, ...: this server cannot help, ask the next
            return;
        }
        finish(x);
        x.done.answered(m, x.server(), now);
    }

    private void nextAttempt(Exchange x, long now) {
        release(x);
        x.attempt++;
        if (x.attempt >= x.servers.size() * rounds) {
            finish(x);
            x.done.failed("no answer from " + x.servers.size() + " server(s) after " + x.attempt + " attempts", now);
            return;
        }
        x.tcp = false;
        x.queryId = random.nextInt(0x10000);
        do {
            x.localPort = PORT_BASE + random.nextInt(PORT_RANGE);
        } while (byPort.containsKey(x.localPort));
        byPort.put(x.localPort, x);
        x.deadline = now + (timeout << (x.attempt / x.servers.size()));
        outbox.add(new DnsTransmission(x.id, false, x.localPort, x.server(), serverPort, query(x)));
    }

    private void sendTcp(Exchange x, long now) {
        release(x);
        x.tcp = true;
        x.deadline = now + 2 * timeout;
        outbox.add(new DnsTransmission(x.id, true, 0, x.server(), serverPort, DnsStream.frame(query(x))));
    }

    private byte[] query(Exchange x) {
        DnsWriter w = new DnsWriter(DnsMessage.HEADER + DnsName.MAX_WIRE_LENGTH + 4 + 11);
        w.header(x.queryId, x.recursionDesired ? DnsMessage.RD : 0);
        w.question(x.question.name(), x.question.type(), x.question.dnsClass());
        w.opt(DnsServer.MAX_UDP_SIZE);
        return w.toByteArray();
    }

    private void release(Exchange x) {
        if (x.localPort != 0 && byPort.get(x.localPort) == x) byPort.remove(x.localPort);
        x.localPort = 0;
    }

    private void finish(Exchange x) {
        release(x);
        byId.remove(x.id);
    }
}
