package io.github.jnic.net.app.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Routes requests by method and path to handlers. A route's path either matches exactly, or, when
 * it ends with {@code /}, matches every path below it; the longest match wins. A path that matches
 * with another method gets 405 with Allow; no match gets 404. HEAD is served by a GET route.
 */
public final class HttpRouter implements HttpHandler {
    private record Route(String method, String path, HttpHandler handler) {
        boolean matches(String p) {
            return path.endsWith("/") ? p.startsWith(path) : p.equals(path);
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public HttpRouter route(String method, String path, HttpHandler handler) {
        routes.add(new Route(method, path, handler));
        return this;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String path = request.path();
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        Route best = null;
        Set<String> allowed = new LinkedHashSet<>();
        int bestLength = -1;
        for (Route r : routes) {
            if (!r.matches(path)) continue;
            if (r.method().equals(method) && r.path().length() > bestLength) {
                best = r;
                bestLength = r.path().length();
            }
            allowed.add(r.method());
        }
        if (best != null) return best.handler().handle(request);
        if (!allowed.isEmpty()) {
            HttpResponse r = HttpResponse.text(405, "method not allowed\n");
            r.headers().add("Allow", String.join(", ", allowed));
            return r;
        }
        return HttpResponse.text(404, "not found\n");
    }
}
