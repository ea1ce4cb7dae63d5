package org.l2o.api.backend;

import org.l2o.api.PluginProvider;

/**
 * Service interface of compute-backend plugins.
 *
 * <p>Providers are stateless and thread-safe (see {@link org.l2o.api.PluginProvider}); what they create is deterministic for a given configuration and seed.
 */
public interface BackendProvider extends PluginProvider {

    @Override
    default String kind() {
        return "backend";
    }

    /** Whether the backend can run on this machine (libraries and devices present). */
    boolean available();
}
