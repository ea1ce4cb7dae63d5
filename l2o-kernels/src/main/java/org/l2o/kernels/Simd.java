package org.l2o.kernels;

import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Whether a module's vectorised kernels may run: JDK 17's Vector API is an incubating module that
 * the launcher adds ({@code --add-modules jdk.incubator.vector}); a JVM without it, or one started
 * with {@code -Dl2o.simd=false}, takes the portable paths. Modules that use it declare
 * {@code requires static jdk.incubator.vector} and keep their vector code in classes loaded only
 * after this check, since referencing them without the module fails: pass a lambda that calls the
 * vector class, not a method reference to it, which links that class where it is written.
 */
public final class Simd {

    private Simd() {
    }

    /**
     * True when {@code module} can read {@code jdk.incubator.vector}, vector kernels are not switched
     * off, and {@code lanes} (a call into the module's vector class, made only after the first two
     * checks) reports at least two lanes of doubles.
     */
    public static boolean available(Module module, IntSupplier lanes) {
        if ("false".equals(System.getProperty("l2o.simd"))) {
            return false;
        }
        Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (vector.isEmpty() || !module.canRead(vector.get())) {
            return false;
        }
        try {
            return lanes.getAsInt() >= 2;
        } catch (LinkageError e) {
            return false;
        }
    }
}
