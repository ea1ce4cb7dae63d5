package org.l2o.gps;

import java.util.random.RandomGenerator;
import org.l2o.gps.linalg.Mat;

/**
 * A Gaussian mixture fitted by EM (Levine & Abbeel 2014, dynamics with a GMM prior, utility/gmm.py): random hard-assignment
 * initialisation, at most 100 iterations, stopping when the log-likelihood falls or changes by
 * less than 1e-5 of its size; covariances symmetrised with 1e-6 added to the diagonal; clusters
 * that lose their mass are re-seeded. Immutable once fitted.
 */
public final class GaussianMixture {

    private final double[] weights;
    private final double[][] means;
    private final double[][][] covariances;
    private final double[][][] choleskys;
    private final double[] logDets;
    private final int points;

    private GaussianMixture(double[] weights, double[][] means, double[][][] covariances, int points) {
        this.weights = weights;
        this.means = means;
        this.covariances = covariances;
        this.points = points;
        this.choleskys = new double[weights.length][][];
        this.logDets = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            choleskys[k] = Mat.cholesky(covariances[k]);
            logDets[k] = Mat.logDetFromCholesky(choleskys[k]);
        }
    }

    /** Fits {@code clusters} components to the rows of {@code data}. */
    public static GaussianMixture fit(double[][] data, int clusters, RandomGenerator random) {
        int n = data.length;
        int d = data[0].length;
        int k = Math.max(1, Math.min(clusters, n));
        double[][] resp = new double[n][k];
        for (int i = 0; i < n; i++) {
            resp[i][random.nextInt(k)] = 1;
        }
        GaussianMixture g = mStep(data, resp, k, d);
        double previous = Double.NEGATIVE_INFINITY;
        for (int iter = 0; iter < 100; iter++) {
            double ll = g.eStep(data, resp);
            if (ll < previous || Math.abs(ll - previous) < 1e-5 * Math.abs(ll)) {
                break;
            }
            previous = ll;
            g = mStep(data, resp, k, d);
        }
        return g;
    }

    private static GaussianMixture mStep(double[][] data, double[][] resp, int k, int d) {
        int n = data.length;
        double[] w = new double[k];
        double[][] mu = new double[k][d];
        double[][][] cov = new double[k][d][d];
        double[] all = DynamicsFit.mean(data);
        for (int c = 0; c < k; c++) {
            double mass = 0;
            for (int i = 0; i < n; i++) {
                mass += resp[i][c];
            }
            if (mass < 1e-4 / k * n) {
                // An empty cluster: re-seed it as the whole data's Gaussian with a small weight.
                w[c] = 1e-4 / k;
                mu[c] = all.clone();
                cov[c] = DynamicsFit.jointCovariance(data, all, java.util.Optional.empty());
                Mat.addDiagonalInPlace(cov[c], 0, d, 1e-6);
                continue;
            }
            w[c] = mass / n;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    mu[c][j] += resp[i][c] * data[i][j] / mass;
                }
            }
            for (int i = 0; i < n; i++) {
                double r = resp[i][c] / mass;
                if (r == 0) {
                    continue;
                }
                double[] diff = Mat.sub(data[i], mu[c]);
                for (int a = 0; a < d; a++) {
                    double ra = r * diff[a];
                    for (int b = 0; b < d; b++) {
                        cov[c][a][b] += ra * diff[b];
                    }
                }
            }
            Mat.symmetrizeInPlace(cov[c]);
            Mat.addDiagonalInPlace(cov[c], 0, d, 1e-6);
        }
        double total = 0;
        for (double v : w) {
            total += v;
        }
        for (int c = 0; c < k; c++) {
            w[c] /= total;
        }
        return new GaussianMixture(w, mu, cov, n);
    }

    /** Log densities {@code log w_k + log N(x; mu_k, Sigma_k)} of one point. */
    private double[] logJoint(double[] x) {
        int d = x.length;
        double[] out = new double[weights.length];
        for (int c = 0; c < weights.length; c++) {
            double[] diff = Mat.sub(x, means[c]);
            double[] z = Mat.forwardSolve(choleskys[c], diff);
            out[c] = Math.log(weights[c]) - 0.5 * Mat.dot(z, z) - 0.5 * logDets[c] - 0.5 * d * Math.log(2 * Math.PI);
        }
        return out;
    }

    /** Writes the posterior cluster probabilities of {@code x} into {@code resp}; returns log p(x). */
    private double responsibilities(double[] x, double[] resp) {
        double[] lj = logJoint(x);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : lj) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : lj) {
            s += Math.exp(v - max);
        }
        double lse = max + Math.log(s);
        for (int c = 0; c < lj.length; c++) {
            resp[c] = Math.exp(lj[c] - lse);
        }
        return lse;
    }

    /** Fills responsibilities, returns the total log-likelihood. */
    private double eStep(double[][] data, double[][] resp) {
        double ll = 0;
        for (int i = 0; i < data.length; i++) {
            ll += responsibilities(data[i], resp[i]);
        }
        return ll;
    }

    /**
     * The normal-inverse-Wishart prior for a set of query points: cluster weights averaged over
     * the points' responsibilities, moment-matched mean and scale, pseudo-counts {@code m = strength}
     * and {@code n0 = (N_fit - 2 - D) / N_fit * strength}, and {@code Phi} scaled by {@code m}.
     */
    public NormalInverseWishart prior(double[][] query, double strength) {
        int k = weights.length;
        int d = means[0].length;
        double[] w = new double[k];
        double[] r = new double[k];
        for (double[] q : query) {
            responsibilities(q, r);
            for (int c = 0; c < k; c++) {
                w[c] += r[c] / query.length;
            }
        }
        double[] mu0 = new double[d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                mu0[j] += w[c] * means[c][j];
            }
        }
        double[][] phi = new double[d][d];
        for (int c = 0; c < k; c++) {
            double[] diff = Mat.sub(means[c], mu0);
            phi = Mat.add(phi, Mat.scale(Mat.add(covariances[c], Mat.outer(diff, diff)), w[c]));
        }
        double m = strength;
        double n0 = (points - 2.0 - d) / points * strength;
        return new NormalInverseWishart(mu0, Mat.scale(phi, m), m, n0);
    }
}
