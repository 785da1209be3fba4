package io.github.jnic.jhdl;

import java.lang.StackWalker.StackFrame;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Finds the module under construction and the user's source line, both from the call stack.
 *
 * A module is "being built" while one of its constructors is on the stack, so no explicit
 * begin/end calls are needed: {@code new Child()} inside a constructor makes a submodule. The
 * modules under construction are counted as chains of consecutive Module-subclass constructor
 * frames (a constructor calling its superclass's); the thread's stack of modules is trimmed to
 * that count, which drops modules whose constructor has returned.
 */
final class Context {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ThreadLocal<ArrayList<Module>> BUILDING = ThreadLocal.withInitial(ArrayList::new);
    private static final Object CORE_SOURCE = codeSource(Module.class);

    /** Classes whose frames are skipped when reporting a source line: jhdl's core and the JDK. */
    private static final ClassValue<Boolean> SKIPPED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            String n = c.getName();
            if (n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.")) return true;
            return c.getPackageName().equals("io.github.jnic.jhdl") && java.util.Objects.equals(codeSource(c), CORE_SOURCE);
        }
    };

    private Context() {}

    private static Object codeSource(Class<?> c) {
        var domain = c.getProtectionDomain();
        var source = domain == null ? null : domain.getCodeSource();
        return source == null ? null : source.getLocation();
    }

    /** The number of modules whose constructor is running, and the first user frame. */
    /**
     * @param constructing number of modules whose constructor is running
     * @param location     the first user frame
     * @param creator      the first user frame outside the innermost module constructor (where it was instantiated)
     */
    record Snapshot(int constructing, SourceLocation location, SourceLocation creator) {}

    static Snapshot snapshot() {
        return WALKER.walk(Context::scan);
    }

    private static final ClassValue<Boolean> MODULE_CLASS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            return Module.class.isAssignableFrom(c);
        }
    };

    // Only class references are looked at for most frames: method and file names cost far more.
    private static Snapshot scan(Stream<StackFrame> frames) {
        int chains = 0;
        Class<?> openChain = null;
        SourceLocation location = null;
        SourceLocation creator = null;
        for (Iterator<StackFrame> it = frames.iterator(); it.hasNext(); ) {
            StackFrame f = it.next();
            Class<?> c = f.getDeclaringClass();
            boolean moduleInit = MODULE_CLASS.get(c) && f.getMethodName().equals("<init>");
            if (openChain != null && !(moduleInit && openChain.isAssignableFrom(c))) chains++;
            openChain = moduleInit ? c : null;
            if ((location == null || (creator == null && chains > 0)) && !SKIPPED.get(c)) {
                SourceLocation here = new SourceLocation(f.getFileName() != null ? f.getFileName() : c.getSimpleName() + ".java",
                        f.getLineNumber());
                if (location == null) location = here;
                if (creator == null && chains > 0) creator = here;
            }
        }
        if (openChain != null) chains++;
        return new Snapshot(chains, location != null ? location : SourceLocation.UNKNOWN,
                creator != null ? creator : location != null ? location : SourceLocation.UNKNOWN);
    }

    static SourceLocation location() {
        return snapshot().location();
    }

    /** The module being built, for code that creates or assigns hardware. */
    static Module current() {
        return current(snapshot());
    }

    static Module current(Snapshot s) {
        ArrayList<Module> stack = BUILDING.get();
        trim(stack, s.constructing());
        if (stack.isEmpty()) {
            throw new IllegalStateException("jhdl: hardware can only be built while a Module's constructor runs (at "
                    + s.location() + ")");
        }
        return stack.get(stack.size() - 1);
    }

    /** Called by Module's constructor: returns the parent (null for a top-level module) and pushes the module. */
    static Module enter(Module m, Snapshot s) {
        ArrayList<Module> stack = BUILDING.get();
        trim(stack, s.constructing() - 1);
        Module parent = stack.isEmpty() ? null : stack.get(stack.size() - 1);
        stack.add(m);
        return parent;
    }

    /** Forgets finished modules (called once a design is emitted). */
    static void reset() {
        trim(BUILDING.get(), snapshot().constructing());
    }

    private static void trim(ArrayList<Module> stack, int size) {
        while (stack.size() > Math.max(size, 0)) stack.remove(stack.size() - 1);
    }
}
