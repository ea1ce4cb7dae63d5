package org.l2o.dl4j;

import org.l2o.runtime.CommandPlugin;

/** Contributes {@code l2o fit} to the command line. */
public final class FitCommandPlugin implements CommandPlugin {

    @Override
    public Class<?> command() {
        return FitCommand.class;
    }
}
