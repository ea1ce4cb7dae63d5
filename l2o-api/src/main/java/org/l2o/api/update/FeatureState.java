package org.l2o.api.update;

/** History a {@link FeatureMap} keeps between steps; immutable, defined by each feature map. */
public interface FeatureState {
}
