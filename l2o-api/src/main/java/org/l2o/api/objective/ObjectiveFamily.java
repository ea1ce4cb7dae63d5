package org.l2o.api.objective;

import java.util.random.RandomGenerator;
import org.l2o.api.Seeds;

/**
 * A distribution over objectives, such as logistic regression on random datasets. Training and
 * test objectives come from disjoint seed streams ({@link #train} and {@link #test}), so a
 * meta-test objective is never seen during meta-training. Thread-safe and deterministic.
 */
public interface ObjectiveFamily {

    /** The family's plugin id. */
    String id();

    /** Draws one objective. Equal generator states give equal objectives. */
    Objective sample(RandomGenerator random);

    /**
     * What identifies the data this family's objectives are built from, for provenance: for example
     * {@code dataset -> mnist train (60000 images)} and {@code sha256 -> ...} of the pixels and
     * labels as read. Empty for synthetic families, whose data follow from the seed.
     */
    default java.util.Map<String, String> dataIdentity() {
        return java.util.Map.of();
    }

    /** The {@code index}-th training objective of the stream rooted at {@code seed}. */
    default Objective train(long seed, int index) {
        return sample(Seeds.generator(seed, "objective-train", index));
    }

    /** The {@code index}-th test objective of the stream rooted at {@code seed}. */
    default Objective test(long seed, int index) {
        return sample(Seeds.generator(seed, "objective-test", index));
    }
}
