package io.github.jnic.net.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {
    @TempDir
    Path dir;

    HttpResponse get(StaticFiles files, String target) {
        return files.handle(HttpRequest.get(target, "h"));
    }

    @Test
    void servesFilesWithTheirTypesAndKeepsInsideTheRoot() throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>jnic</h1>");
        Files.writeString(site.resolve("app.js"), "1;");
        Files.createDirectories(site.resolve("sub dir"));
        Files.write(site.resolve("sub dir").resolve("data.bin"), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(site.resolve("link.txt"), dir.resolve("secret.txt"));
        Files.write(site.resolve("big.txt"), new byte[2000]);
        StaticFiles files = new StaticFiles(site, "/static/", 1000);

        HttpResponse index = get(files, "/static/");
        assertEquals(200, index.status());
        assertEquals("text/html; charset=utf-8", index.headers().get("Content-Type"));
        assertEquals("<h1>jnic</h1>", new String(index.body(), StandardCharsets.UTF_8));
        assertEquals("text/javascript; charset=utf-8", get(files, "/static/app.js?v=2").headers().get("Content-Type"));
        HttpResponse bin = get(files, "/static/sub%20dir/data.bin");
        assertEquals("application/octet-stream", bin.headers().get("Content-Type"));
        assertEquals(3, bin.body().length);

        assertEquals(404, get(files, "/static/missing.html").status());
        assertEquals(403, get(files, "/static/../secret.txt").status());
        assertEquals(403, get(files, "/static/%2e%2e/secret.txt").status());
        assertEquals(403, get(files, "/static/sub%20dir/..%2F..%2Fsecret.txt").status());
        assertEquals(403, get(files, "/static/link.txt").status(), "a symbolic link out of the root");
        assertEquals(400, get(files, "/static/%2Fetc/passwd").status());
        assertEquals(400, get(files, "/static/%zz").status());
        assertEquals(413, get(files, "/static/big.txt").status());
        assertEquals(405, files.handle(new HttpRequest("POST", "/static/", "HTTP/1.1", new HttpHeaders(), new byte[0])).status());
    }
}
