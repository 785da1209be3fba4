package io.github.jnic.net.app.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Header fields in the order they came, looked up case-insensitively. */
public final class HttpHeaders {
    public record Field(String name, String value) {}

    private final List<Field> fields = new ArrayList<>();

    public HttpHeaders add(String name, String value) {
        fields.add(new Field(name, value));
        return this;
    }

    /** Replaces every field of that name with one. */
    public HttpHeaders set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    public void remove(String name) {
        fields.removeIf(f -> f.name().equalsIgnoreCase(name));
    }

    /** The first value of the field, or null. */
    public String get(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) return f.value();
        }
        return null;
    }

    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) out.add(f.value());
        }
        return out;
    }

    /** Whether a comma-separated list field (Connection, Transfer-Encoding) holds {@code token}. */
    public boolean hasToken(String name, String token) {
        return tokens(name).contains(token.toLowerCase(Locale.ROOT));
    }

    /** The comma-separated elements of every field of that name, lower-cased, empty ones dropped. */
    public List<String> tokens(String name) {
        List<String> out = new ArrayList<>();
        for (String v : all(name)) {
            for (String t : v.split(",")) {
                String s = t.trim().toLowerCase(Locale.ROOT);
                if (!s.isEmpty()) out.add(s);
            }
        }
        return out;
    }

    public List<Field> fields() {
        return Collections.unmodifiableList(fields);
    }

    public int size() {
        return fields.size();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
