package org.l2o.gps;

import java.util.List;
import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.l2o.kernels.Adam;
import org.l2o.api.update.DifferentiablePolicy;
import org.l2o.gps.linalg.Mat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The global-policy side of GPS: linearising the policy around the samples (Montgomery & Levine 2016; Levine et al. 2016) and the
 * precision-weighted supervised regression onto the local controllers (Levine et al. 2016, policy regression).
 */
final class PolicyFit {

    private PolicyFit() {
    }

    /** Features (the state without the iterate) of every sample at step t, {@code [N, inputSize]}. */
    static INDArray features(SampleBatch b, int t, int n) {
        int samples = b.samples();
        int in = b.states()[0][t].length - n;
        double[] v = new double[samples * in];
        for (int s = 0; s < samples; s++) {
            System.arraycopy(b.states()[s][t], n, v, s * in, in);
        }
        return Nd4j.createFromArray(v).reshape(samples, in);
    }

    /**
     * The policy as a linear-Gaussian controller over the GPS state: per step, the gain is the
     * policy's Jacobian with respect to the features averaged over the samples (zero on the
     * iterate block, which the policy never sees), the offset matches the mean action at the mean
     * state, and the covariance is the policy's. This replaces the GMM-prior regression of spec
     * 3.5 by the exact first-order expansion, which the differentiable policy makes available.
     */
    static LinearGaussianController linearize(DifferentiablePolicy policy, SampleBatch b, int n) {
        int horizon = b.horizon();
        int samples = b.samples();
        int du = policy.actionSize();
        int dx = b.states()[0][0].length;
        double[][] cov = policy.covariance().toDoubleMatrix();
        double[][][] gains = new double[horizon][][];
        double[][] offsets = new double[horizon][];
        double[][][] covs = new double[horizon][][];
        for (int t = 0; t < horizon; t++) {
            INDArray phi = features(b, t, n);
            double[][] mu = policy.mean(phi).toDoubleMatrix();
            double[][] k = new double[du][dx];
            for (int a = 0; a < du; a++) {
                INDArray g = Nd4j.zeros(DataType.DOUBLE, samples, du);
                g.getColumn(a).assign(1.0);
                double[] mean = policy.inputGradient(phi, g).mean(0).toDoubleVector();
                System.arraycopy(mean, 0, k[a], n, mean.length);
            }
            double[] sbar = new double[dx];
            double[] ubar = new double[du];
            for (int s = 0; s < samples; s++) {
                for (int i = 0; i < dx; i++) {
                    sbar[i] += b.states()[s][t][i] / samples;
                }
                for (int a = 0; a < du; a++) {
                    ubar[a] += mu[s][a] / samples;
                }
            }
            gains[t] = k;
            offsets[t] = Mat.sub(ubar, Mat.mul(k, sbar));
            covs[t] = Mat.copy(cov);
        }
        return new LinearGaussianController(gains, offsets, covs);
    }

    /** Regression data pooled over conditions: features, target means, their precisions and row weights. */
    record Data(INDArray features, double[] flat, double[][] targets, double[][][] precisions, double[] weights) {
        int rows() {
            return targets.length;
        }
    }

    /** Targets {@code K_t s + k_t} and precisions {@code Sigma_t^-1} of the controllers at every sample state. */
    static Data data(List<SampleBatch> batches, List<LinearGaussianController> controllers, int n) {
        return data(batches, controllers, n, null, null);
    }

    /**
     * Regression data; with BADMM duals {@code lambda[m][t]} and weights {@code nu[m][t]} the targets are
     * {@code K_t s + k_t - nu_t Sigma_t lambda_t} (Montgomery & Levine 2016; Levine et al. 2016, the policy step) and rows are weighted by
     * {@code nu_t}, normalised to mean 1.
     */
    static Data data(List<SampleBatch> batches, List<LinearGaussianController> controllers, int n, double[][][] lambda,
                     double[][] nu) {
        int rows = 0;
        for (SampleBatch b : batches) {
            rows += b.samples() * b.horizon();
        }
        int in = batches.get(0).states()[0][0].length - n;
        double[] feats = new double[rows * in];
        double[][] targets = new double[rows][];
        double[][][] precisions = new double[rows][][];
        double[] weights = new double[rows];
        int r = 0;
        for (int m = 0; m < batches.size(); m++) {
            SampleBatch b = batches.get(m);
            LinearGaussianController c = controllers.get(m);
            for (int s = 0; s < b.samples(); s++) {
                for (int t = 0; t < b.horizon(); t++) {
                    double[] state = b.states()[s][t];
                    System.arraycopy(state, n, feats, r * in, in);
                    targets[r] = c.mean(t, state);
                    if (lambda != null) {
                        targets[r] = Mat.sub(targets[r], Mat.scale(Mat.mul(c.covariance(t), lambda[m][t]), nu[m][t]));
                    }
                    precisions[r] = c.precision(t);
                    weights[r] = nu == null ? 1 : nu[m][t];
                    r++;
                }
            }
        }
        double mean = 0;
        for (double w : weights) {
            mean += w / rows;
        }
        for (int i = 0; i < rows; i++) {
            weights[i] = mean > 0 ? weights[i] / mean : 1;
        }
        return new Data(DenseVectors.of(feats).reshape(rows, in), feats, targets, precisions, weights);
    }

    /** Whitening of the features: shift = mean, scale = 1 / max(std, 1e-3) (Levine et al. 2016, policy regression). */
    static DifferentiablePolicy whiten(DifferentiablePolicy policy, Data data) {
        INDArray mean = data.features().mean(0);
        INDArray std = data.features().std(false, 0);
        double[] s = std.toDoubleVector();
        for (int i = 0; i < s.length; i++) {
            s[i] = 1 / Math.max(s[i], 1e-3);
        }
        return policy.withInputNormalization(mean, Nd4j.createFromArray(s));
    }

    /** Result of a regression: the fitted policy, the optimiser state and the final mean loss. */
    record Fitted(DifferentiablePolicy policy, Adam adam, double loss) {
    }

    /**
     * Minimises {@code sum_b (mu(o_b) - mu*_b)^T P_b (mu(o_b) - mu*_b) / (2B)} over minibatches with
     * Adam, then sets the policy covariance to the inverse of the mean precision's diagonal.
     */
    static Fitted regress(DifferentiablePolicy policy, Data data, Adam adam, int iterations, int batch, double lr,
                          RandomGenerator random) {
        int rows = data.rows();
        int du = policy.actionSize();
        int b = Math.min(batch, rows);
        double[] theta = policy.parameters().toDoubleVector();
        double lossSum = 0;
        int lossCount = 0;
        for (int it = 0; it < iterations; it++) {
            int[] idx = new int[b];
            for (int i = 0; i < b; i++) {
                idx[i] = random.nextInt(rows);
            }
            double[] lossOut = new double[1];
            // rows gathered from the heap copy: INDArray.getRows builds one view per row
            int in = (int) data.features().columns();
            double[] picked = new double[b * in];
            for (int i = 0; i < b; i++) {
                System.arraycopy(data.flat(), idx[i] * in, picked, i * in, in);
            }
            INDArray x = DenseVectors.of(picked).reshape(b, in);
            double[] grad = DenseVectors.read(policy.meanAndParameterGradient(x, muArray -> {
                double[] mu = DenseVectors.read(muArray);
                double[] g = new double[b * du];
                for (int i = 0; i < b; i++) {
                    double[] diff = Mat.sub(java.util.Arrays.copyOfRange(mu, i * du, (i + 1) * du),
                            data.targets()[idx[i]]);
                    double[] pd = Mat.scale(Mat.mul(data.precisions()[idx[i]], diff), data.weights()[idx[i]]);
                    lossOut[0] += 0.5 * Mat.dot(diff, pd) / b;
                    for (int a = 0; a < du; a++) {
                        g[i * du + a] = pd[a] / b;
                    }
                }
                return DenseVectors.of(g).reshape(b, du);
            })[1]);
            double loss = lossOut[0];
            if (it >= iterations - Math.max(1, iterations / 10)) {
                lossSum += loss;
                lossCount++;
            }
            adam = adam.step(theta, grad, lr);
            policy = policy.withParameters(DenseVectors.of(theta));
        }
        double[] diag = new double[du];
        for (double[][] p : data.precisions()) {
            for (int a = 0; a < du; a++) {
                diag[a] += p[a][a] / rows;
            }
        }
        double[][] cov = new double[du][du];
        for (int a = 0; a < du; a++) {
            cov[a][a] = 1 / diag[a];
        }
        policy = policy.withCovariance(Nd4j.createFromArray(cov));
        return new Fitted(policy, adam, lossCount == 0 ? Double.NaN : lossSum / lossCount);
    }
}
