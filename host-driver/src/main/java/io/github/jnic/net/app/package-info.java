/**
 * The application layer: DNS, DHCP, HTTP/1.1 and echo, written sans-IO. Codecs are views over byte
 * arrays; engines are state machines driven by (input, time now) that produce (output, next
 * deadline), so they run the same over the stack's sockets and in virtual time in tests. Every
 * engine counts rejected input by reason ({@link io.github.jnic.net.app.Rejects}).
 */
package io.github.jnic.net.app;
