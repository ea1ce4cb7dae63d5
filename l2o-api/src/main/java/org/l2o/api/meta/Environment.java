package org.l2o.api.meta;

import java.util.Map;
import java.util.TreeMap;

/**
 * The numerical environment a result was produced in, for provenance: operating system and
 * architecture, JVM, ND4J backend and default precision, whether the classic rules' vectorised
 * steps are available, and the BLAS core type and thread count from the environment. Stateless
 * and thread-safe; the values are read when called.
 */
public final class Environment {

    private Environment() {
    }

    /** The current environment, keys in name order. */
    public static Map<String, String> current() {
        Map<String, String> m = new TreeMap<>();
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("nd4j.backend", backend());
        m.put("nd4j.default-precision", precision());
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        m.put("simd", vector && !"false".equals(System.getProperty("l2o.simd")) ? "on" : "off");
        m.put("blas.coretype", orElse(System.getenv("OPENBLAS_CORETYPE"), "auto-detected"));
        m.put("omp.threads", orElse(System.getenv("OMP_NUM_THREADS"), "unset"));
        return m;
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String backend() {
        try {
            return org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable";
        }
    }

    private static String precision() {
        try {
            return org.nd4j.linalg.factory.Nd4j.dataType().toString().toLowerCase(java.util.Locale.ROOT);
        } catch (RuntimeException | LinkageError e) {
            return "unavailable";
        }
    }
}
