package org.l2o.api.meta;

import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginProvider;

/** Service interface of meta-trainer plugins. */
public interface MetaTrainerProvider extends PluginProvider {

    @Override
    default String kind() {
        return "trainer";
    }

    /** Creates a trainer for a configuration validated against {@link #parameters()}. */
    MetaTrainer create(Config config, CreationContext context);
}
