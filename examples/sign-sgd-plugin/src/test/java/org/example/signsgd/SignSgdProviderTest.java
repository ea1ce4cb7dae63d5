package org.example.signsgd;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.api.testkit.UpdateRuleContract;
import org.l2o.api.update.UpdateRuleProvider;

/** The l2o contract kit checks the plugin: parameters, determinism, untouched inputs, progress. */
class SignSgdProviderTest {

    @Nested
    class Contract extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new SignSgdProvider();
        }

        @Override
        protected Map<String, String> convergentParameters() {
            return Map.of("lr", "0.02");
        }
    }

    @Test
    void moduleDescriptorAndServiceFileAgree() {
        ServiceDeclarations.assertAgree(SignSgdProvider.class);
    }
}
