package org.l2o.policies.classic;

import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.update.UpdateRule;
import org.l2o.api.update.UpdateRuleProvider;

/** Nesterov momentum as torch.optim.SGD(nesterov=True) computes it; see {@link MomentumProvider}. */
public final class NesterovProvider implements UpdateRuleProvider {

    private final MomentumProvider delegate = new MomentumProvider(true);

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public List<ParameterSpec> parameters() {
        return delegate.parameters();
    }

    @Override
    public UpdateRule create(Config config, CreationContext context) {
        return delegate.create(config, context);
    }
}
