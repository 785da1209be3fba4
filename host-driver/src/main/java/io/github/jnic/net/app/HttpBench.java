package io.github.jnic.net.app;

import io.github.jnic.net.app.http.HttpClientConnection;
import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpRequest;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpServerConnection;
import io.github.jnic.net.app.http.HttpService;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.Simulation;
import io.github.jnic.net.tcp.Tcp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * HTTP/1.1 keep-alive requests, one at a time on one connection, with the same client and server
 * engines over two transports in one run: two jnic stacks joined by a memory link (TCP/IP in Java,
 * one thread), and, as the reference, Java sockets over the kernel's loopback (two threads).
 * The difference is what the Java stack costs against the kernel's TCP. Prints both.
 *
 * <pre>java -cp host-driver/target/classes io.github.jnic.net.app.HttpBench [requests] [body bytes]</pre>
 */
public final class HttpBench {
    private HttpBench() {}

    private static double virtualMicrosPerRequest;

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int bodyBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        HttpServer server = new HttpServer(new HttpRouter().route("GET", "/", r -> HttpResponse.of(200, "application/octet-stream", new byte[bodyBytes])),
                HttpLimits.defaults(), null);
        System.out.printf("HTTP/1.1 keep-alive, %d requests one at a time, %d-byte bodies%n", requests, bodyBytes);
        for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
            double jnic = overJnicStacks(server, requests);
            double kernel = overKernelLoopback(server, requests);
            System.out.printf("round %d: jnic stacks %,10.0f requests/s (virtual time %.1f us/request)   kernel loopback (reference) %,10.0f requests/s%n",
                    round + 1, jnic, virtualMicrosPerRequest, kernel);
        }
    }

    private static double overJnicStacks(HttpServer server, int requests) throws Exception {
        Simulation sim = new Simulation();
        NetStack a = sim.add(new NetStack());
        NetStack b = sim.add(new NetStack());
        MemoryLink link = new MemoryLink(sim.clock());
        a.addAddress(a.addInterface(link.a()), "10.0.0.1/24");
        b.addAddress(b.addInterface(link.b()), "10.0.0.2/24");
        Tcp serverTcp = new Tcp(a.ipv4());
        Tcp clientTcp = new Tcp(b.ipv4());
        a.register(serverTcp);
        b.register(clientTcp);
        HttpService.listen(a, serverTcp, 80, server);
        HttpClientConnection client = new HttpClientConnection(HttpLimits.defaults());
        int[] done = {0};
        HttpClientConnection.ResponseHandler next = new HttpClientConnection.ResponseHandler() {
            @Override
            public void response(HttpResponse response) {
                if (++done[0] < requests) client.send(HttpRequest.get("/", "10.0.0.1"), this, b.now());
            }

            @Override
            public void failed(String why) {
                throw new IllegalStateException(why);
            }
        };
        client.send(HttpRequest.get("/", "10.0.0.1"), next, b.now());
        long start = System.nanoTime();
        long virtualStart = sim.now();
        HttpService.connect(b, clientTcp, 0x0a000001, 80, client);
        if (!sim.runUntil(() -> done[0] == requests, Long.MAX_VALUE / 4)) throw new IllegalStateException("stalled at " + done[0]);
        double rate = requests * 1e9 / (System.nanoTime() - start);
        // Virtual time passes only on timers: any left here would be a stall (Nagle against delayed ACK, say).
        virtualMicrosPerRequest = (sim.now() - virtualStart) / 1000.0 / requests;
        return rate;
    }

    private static double overKernelLoopback(HttpServer server, int requests) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    s.setTcpNoDelay(true);
                    carry(s, server.accept(System.nanoTime()));
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "bench-server");
            serving.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                s.setTcpNoDelay(true);
                HttpClientConnection client = new HttpClientConnection(HttpLimits.defaults());
                int[] done = {0};
                HttpClientConnection.ResponseHandler count = new HttpClientConnection.ResponseHandler() {
                    @Override
                    public void response(HttpResponse response) {
                        done[0]++;
                    }

                    @Override
                    public void failed(String why) {
                        throw new IllegalStateException(why);
                    }
                };
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[16384];
                long start = System.nanoTime();
                for (int i = 0; i < requests; i++) {
                    client.send(HttpRequest.get("/", "localhost"), count, 0);
                    byte[] b;
                    while ((b = client.nextOutput()) != null) out.write(b);
                    while (done[0] <= i) {
                        int n = in.read(buf);
                        if (n < 0) throw new IllegalStateException("server closed");
                        client.receive(buf, 0, n, 0);
                    }
                }
                double rate = requests * 1e9 / (System.nanoTime() - start);
                s.shutdownOutput();
                serving.join();
                return rate;
            }
        }
    }

    /** Runs a server connection over a blocking socket until the client closes. */
    private static void carry(Socket s, HttpServerConnection c) throws Exception {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) >= 0) {
            c.receive(buf, 0, n, 0);
            byte[] b;
            while ((b = c.nextOutput()) != null) out.write(b);
        }
    }
}
