package org.l2o.policies.classic;

import java.util.stream.Collectors;
import org.l2o.api.Config;

/** The canonical specification string of a configured rule, e.g. {@code adam:lr=0.01,beta1=0.9,...}. */
final class Spec {

    private Spec() {
    }

    static String of(String id, Config config) {
        if (config.text().isEmpty()) {
            return id;
        }
        return id + ":" + config.text().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
