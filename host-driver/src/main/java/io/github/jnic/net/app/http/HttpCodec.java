package io.github.jnic.net.app.http;

import io.github.jnic.net.app.MalformedException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTP/1.1 message syntax (RFC 9112), shared by the server and the client: the head (start line
 * and header fields) read incrementally from a {@link ByteQueue} under the limits, the framing
 * rules that decide how long a body is (§6.3), and the body decoder for Content-Length, chunked
 * and read-until-close bodies.
 */
final class HttpCodec {
    private HttpCodec() {}

    /** A parsed head: request (method, target, version) or response (version, status, reason). */
    record Head(String a, String b, String c, HttpHeaders headers) {}

    private static final int MAX_CHUNK_LINE = 1024;

    /**
     * Reads a whole head from the front of {@code in}, consuming it, or returns null (consuming
     * nothing) until one has arrived. Empty lines before a request line are skipped (§2.2).
     */
    static Head readHead(ByteQueue in, HttpLimits limits, boolean request) {
        int pos = 0;
        while (request && pos < in.size() && (in.at(pos) == '\r' || in.at(pos) == '\n') && pos < 8) pos++;
        int lineEnd = in.indexOf((byte) '\n', pos, pos + limits.maxLine() + 2);
        if (lineEnd < 0) {
            if (in.size() - pos > limits.maxLine()) throw new MalformedException(HttpReject.LINE_TOO_LONG, "start line over " + limits.maxLine() + " bytes");
            return null;
        }
        String startLine = line(in, pos, lineEnd, HttpReject.BAD_START_LINE);
        pos = lineEnd + 1;
        HttpHeaders headers = new HttpHeaders();
        while (true) {
            int end = in.indexOf((byte) '\n', pos, limits.maxHeaderBytes() + 1);
            if (end < 0) {
                if (in.size() > limits.maxHeaderBytes()) throw new MalformedException(HttpReject.HEADERS_TOO_LARGE, "header section over " + limits.maxHeaderBytes() + " bytes");
                return null;
            }
            String text = line(in, pos, end, HttpReject.BAD_HEADER);
            pos = end + 1;
            if (text.isEmpty()) break;
            if (headers.size() >= limits.maxHeaders()) throw new MalformedException(HttpReject.HEADERS_TOO_LARGE, "more than " + limits.maxHeaders() + " header fields");
            field(text, headers);
        }
        Head head = request ? requestLine(startLine, headers) : statusLine(startLine, headers);
        in.consume(pos);
        return head;
    }

    /** The line {@code [from, lf)} without its CR; bare CRs and other control characters are refused. */
    private static String line(ByteQueue in, int from, int lf, HttpReject reason) {
        int end = lf > from && in.at(lf - 1) == '\r' ? lf - 1 : lf;
        for (int i = from; i < end; i++) {
            int c = in.at(i) & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw new MalformedException(reason, "control character 0x" + Integer.toHexString(c));
        }
        return in.latin1(from, end);
    }

    private static void field(String line, HttpHeaders headers) {
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') throw new MalformedException(HttpReject.BAD_HEADER, "obsolete line folding");
        int colon = line.indexOf(':');
        if (colon <= 0) throw new MalformedException(HttpReject.BAD_HEADER, "no field name");
        String name = line.substring(0, colon);
        if (!isToken(name)) throw new MalformedException(HttpReject.BAD_HEADER, "bad field name '" + name + "'");
        headers.add(name, line.substring(colon + 1).strip());
    }

    private static Head requestLine(String line, HttpHeaders headers) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) throw new MalformedException(HttpReject.BAD_START_LINE, "request line '" + clip(line) + "'");
        return new Head(parts[0], parts[1], version(parts[2]), headers);
    }

    private static Head statusLine(String line, HttpHeaders headers) {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || parts[1].length() != 3 || !parts[1].chars().allMatch(Character::isDigit)) {
            throw new MalformedException(HttpReject.BAD_START_LINE, "status line '" + clip(line) + "'");
        }
        return new Head(version(parts[0]), parts[1], parts.length == 3 ? parts[2] : "", headers);
    }

    /** "HTTP/1.0" or "HTTP/1.1" (a later 1.x reads as 1.1, §2.3); anything else is refused. */
    private static String version(String v) {
        if (v.length() != 8 || !v.startsWith("HTTP/") || !Character.isDigit(v.charAt(5)) || v.charAt(6) != '.' || !Character.isDigit(v.charAt(7))) {
            throw new MalformedException(HttpReject.BAD_START_LINE, "version '" + clip(v) + "'");
        }
        if (v.charAt(5) != '1') throw new MalformedException(HttpReject.BAD_VERSION, v);
        return v.charAt(7) == '0' ? "HTTP/1.0" : "HTTP/1.1";
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** How the body of a request is framed (§6.3): chunked, by Content-Length, or absent. */
    static BodyDecoder requestBody(HttpHeaders h, HttpLimits limits) {
        if (!h.all("Transfer-Encoding").isEmpty()) {
            if (h.get("Content-Length") != null) throw new MalformedException(HttpReject.BAD_LENGTH, "both Transfer-Encoding and Content-Length");
            if (!h.tokens("Transfer-Encoding").equals(List.of("chunked"))) throw new MalformedException(HttpReject.UNSUPPORTED_CODING, "transfer coding " + h.tokens("Transfer-Encoding"));
            return new BodyDecoder(BodyDecoder.Mode.CHUNKED, 0, limits);
        }
        return new BodyDecoder(BodyDecoder.Mode.LENGTH, contentLength(h, limits, 0), limits);
    }

    /** How the body of a response is framed (§6.3), given the request method and status. */
    static BodyDecoder responseBody(HttpHeaders h, int status, boolean headRequest, HttpLimits limits) {
        if (headRequest || status / 100 == 1 || status == 204 || status == 304) return new BodyDecoder(BodyDecoder.Mode.LENGTH, 0, limits);
        if (!h.all("Transfer-Encoding").isEmpty()) {
            if (!h.tokens("Transfer-Encoding").equals(List.of("chunked"))) throw new MalformedException(HttpReject.UNSUPPORTED_CODING, "transfer coding " + h.tokens("Transfer-Encoding"));
            return new BodyDecoder(BodyDecoder.Mode.CHUNKED, 0, limits);
        }
        long length = contentLength(h, limits, -1);
        return length < 0 ? new BodyDecoder(BodyDecoder.Mode.UNTIL_CLOSE, 0, limits) : new BodyDecoder(BodyDecoder.Mode.LENGTH, length, limits);
    }

    private static long contentLength(HttpHeaders h, HttpLimits limits, long absent) {
        List<String> values = h.tokens("Content-Length");
        if (h.all("Content-Length").isEmpty()) return absent;
        long length = -1;
        for (String v : values) {
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) throw new MalformedException(HttpReject.BAD_LENGTH, "Content-Length '" + clip(v) + "'");
            long n = Long.parseLong(v);
            if (length >= 0 && n != length) throw new MalformedException(HttpReject.BAD_LENGTH, "conflicting Content-Length values");
            length = n;
        }
        if (length < 0) throw new MalformedException(HttpReject.BAD_LENGTH, "empty Content-Length");
        if (length > limits.maxBody()) throw new MalformedException(HttpReject.BODY_TOO_LARGE, length + " bytes");
        return length;
    }

    /** Decodes one message body from the input as it arrives. */
    static final class BodyDecoder {
        enum Mode { LENGTH, CHUNKED, UNTIL_CLOSE }

        private enum Step { SIZE, DATA, DATA_END, TRAILER, DONE }

        private final Mode mode;
        private final HttpLimits limits;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final HttpHeaders trailers = new HttpHeaders();
        private long remaining;
        private Step step;
        private int trailerBytes;

        BodyDecoder(Mode mode, long length, HttpLimits limits) {
            this.mode = mode;
            this.limits = limits;
            this.remaining = length;
            this.step = mode == Mode.CHUNKED ? Step.SIZE : mode == Mode.LENGTH && length == 0 ? Step.DONE : Step.DATA;
        }

        Mode mode() {
            return mode;
        }

        /** Consumes what it can; true once the body is complete. */
        boolean decode(ByteQueue in) {
            while (step != Step.DONE) {
                switch (step) {
                    case DATA -> {
                        if (in.size() == 0) return false;
                        if (mode == Mode.UNTIL_CLOSE) {
                            if (body.size() + (long) in.size() > limits.maxBody()) throw new MalformedException(HttpReject.BODY_TOO_LARGE, "body over " + limits.maxBody() + " bytes");
                            append(in, in.size());
                            return false;
                        }
                        int n = (int) Math.min(remaining, in.size());
                        append(in, n);
                        remaining -= n;
                        if (remaining == 0) step = mode == Mode.CHUNKED ? Step.DATA_END : Step.DONE;
                    }
                    case SIZE -> {
                        int lf = in.indexOf((byte) '\n', 0, MAX_CHUNK_LINE);
                        if (lf < 0) {
                            if (in.size() >= MAX_CHUNK_LINE) throw new MalformedException(HttpReject.BAD_CHUNK, "chunk size line too long");
                            return false;
                        }
                        String line = in.latin1(0, lf > 0 && in.at(lf - 1) == '\r' ? lf - 1 : lf);
                        in.consume(lf + 1);
                        int semi = line.indexOf(';');
                        String hex = (semi >= 0 ? line.substring(0, semi) : line).stripTrailing();
                        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                            throw new MalformedException(HttpReject.BAD_CHUNK, "chunk size '" + clip(line) + "'");
                        }
                        long size = Long.parseLong(hex, 16);
                        if (body.size() + size > limits.maxBody()) throw new MalformedException(HttpReject.BODY_TOO_LARGE, "body over " + limits.maxBody() + " bytes");
                        remaining = size;
                        step = size == 0 ? Step.TRAILER : Step.DATA;
                    }
                    case DATA_END -> {
                        if (in.size() == 0) return false;
                        if (in.at(0) == '\n') {
                            in.consume(1);
                        } else if (in.at(0) == '\r') {
                            if (in.size() < 2) return false;
                            if (in.at(1) != '\n') throw new MalformedException(HttpReject.BAD_CHUNK, "chunk not followed by CRLF");
                            in.consume(2);
                        } else {
                            throw new MalformedException(HttpReject.BAD_CHUNK, "chunk longer than its size");
                        }
                        step = Step.SIZE;
                    }
                    case TRAILER -> {
                        int lf = in.indexOf((byte) '\n', 0, limits.maxLine() + 2);
                        if (lf < 0) {
                            if (in.size() > limits.maxLine()) throw new MalformedException(HttpReject.HEADERS_TOO_LARGE, "trailer line too long");
                            return false;
                        }
                        trailerBytes += lf + 1;
                        if (trailerBytes > limits.maxHeaderBytes()) throw new MalformedException(HttpReject.HEADERS_TOO_LARGE, "trailers too large");
                        String line = line(in, 0, lf, HttpReject.BAD_HEADER);
                        in.consume(lf + 1);
                        if (line.isEmpty()) {
                            step = Step.DONE;
                        } else {
                            if (trailers.size() >= limits.maxHeaders()) throw new MalformedException(HttpReject.HEADERS_TOO_LARGE, "too many trailer fields");
                            field(line, trailers);
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            return true;
        }

        /** The peer closed: true when that ends the body properly (read-until-close). */
        boolean endsAtClose() {
            return mode == Mode.UNTIL_CLOSE;
        }

        byte[] body() {
            return body.toByteArray();
        }

        HttpHeaders trailers() {
            return trailers;
        }

        private void append(ByteQueue in, int n) {
            byte[] chunk = new byte[n];
            in.copyTo(0, chunk, 0, n);
            body.write(chunk, 0, n);
            in.consume(n);
        }
    }

    /** Writes a head: start line, fields, blank line. */
    static byte[] head(String startLine, HttpHeaders headers) {
        StringBuilder sb = new StringBuilder(startLine).append("\r\n");
        for (HttpHeaders.Field f : headers.fields()) {
            if (!isToken(f.name()) || f.value().indexOf('\r') >= 0 || f.value().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header field would break the message: " + f.name());
            }
            sb.append(f.name()).append(": ").append(f.value()).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
