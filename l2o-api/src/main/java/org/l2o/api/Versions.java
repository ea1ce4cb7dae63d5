package org.l2o.api;

import java.lang.module.ModuleDescriptor;

/**
 * The l2o (or plugin) version a class belongs to.
 *
 * <p>Stateless and thread-safe; its results depend on its arguments only.
 */
public final class Versions {

    private Versions() {
    }

    /**
     * The version of {@code type}'s module when it runs as a named module (the module path records
     * it), else its jar's Implementation-Version, else {@code dev} (a source tree).
     */
    public static String of(Class<?> type) {
        ModuleDescriptor d = type.getModule().getDescriptor();
        if (d != null && d.rawVersion().isPresent()) {
            return d.rawVersion().get();
        }
        String v = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
