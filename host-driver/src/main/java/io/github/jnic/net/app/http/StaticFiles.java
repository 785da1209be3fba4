package io.github.jnic.net.app.http;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Serves files below a root directory for GET and HEAD, with a content type from the extension and
 * {@code index.html} for directories. The path is percent-decoded and then checked to stay inside
 * the root, so {@code ..} (spelled any way) cannot escape it; symbolic links are resolved before
 * the check. Files above {@code maxFileBytes} are refused rather than loaded.
 */
public final class StaticFiles implements HttpHandler {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"),
            Map.entry("wasm", "application/wasm"), Map.entry("pdf", "application/pdf"), Map.entry("xml", "application/xml"));

    private final Path root;
    private final String prefix;
    private final long maxFileBytes;

    /** Serves {@code root} at URL path {@code prefix} (ending in "/"). */
    public StaticFiles(Path root, String prefix, long maxFileBytes) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("no such directory " + root, e);
        }
        if (!prefix.endsWith("/")) throw new IllegalArgumentException("prefix must end with /");
        this.prefix = prefix;
        this.maxFileBytes = maxFileBytes;
    }

    public static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot >= 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            HttpResponse r = HttpResponse.text(405, "method not allowed\n");
            r.headers().add("Allow", "GET, HEAD");
            return r;
        }
        String path = request.path();
        if (!path.startsWith(prefix)) return HttpResponse.text(404, "not found\n");
        String relative;
        try {
            relative = URLDecoder.decode(path.substring(prefix.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return HttpResponse.text(400, "bad percent-encoding\n");
        }
        if (relative.indexOf('\0') >= 0 || relative.startsWith("/")) return HttpResponse.text(400, "bad path\n");
        try {
            Path file = root.resolve(relative).normalize();
            if (!file.startsWith(root)) return HttpResponse.text(403, "forbidden\n");
            if (Files.isDirectory(file)) file = file.resolve("index.html");
            if (!Files.isRegularFile(file)) return HttpResponse.text(404, "not found\n");
            file = file.toRealPath();
            if (!file.startsWith(root)) return HttpResponse.text(403, "forbidden\n");
            if (Files.size(file) > maxFileBytes) return HttpResponse.text(413, "file too large to serve\n");
            return HttpResponse.of(200, contentType(file.getFileName().toString()), Files.readAllBytes(file));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return HttpResponse.text(404, "not found\n");
        }
    }
}
