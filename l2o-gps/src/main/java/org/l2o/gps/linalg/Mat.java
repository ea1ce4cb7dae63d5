package org.l2o.gps.linalg;

/**
 * Static helpers on row-major {@code double[rows][cols]} matrices and {@code double[]} vectors.
 * Every method returns a new array unless its name ends in {@code InPlace}.
 */
public final class Mat {

    private Mat() {
    }

    public static double[][] zeros(int rows, int cols) {
        return new double[rows][cols];
    }

    public static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    public static double[][] diag(double[] d) {
        double[][] m = new double[d.length][d.length];
        for (int i = 0; i < d.length; i++) {
            m[i][i] = d[i];
        }
        return m;
    }

    public static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    public static double[][] transpose(double[][] a) {
        int r = a.length;
        int c = a[0].length;
        double[][] t = new double[c][r];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** {@code A B}. */
    public static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] ci = c[i];
            double[] ai = a[i];
            for (int p = 0; p < k; p++) {
                double v = ai[p];
                if (v == 0) {
                    continue;
                }
                double[] bp = b[p];
                for (int j = 0; j < m; j++) {
                    ci[j] += v * bp[j];
                }
            }
        }
        return c;
    }

    /** {@code A^T B}. */
    public static double[][] tmul(double[][] a, double[][] b) {
        int k = a.length;
        int n = a[0].length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int p = 0; p < k; p++) {
            double[] ap = a[p];
            double[] bp = b[p];
            for (int i = 0; i < n; i++) {
                double v = ap[i];
                if (v == 0) {
                    continue;
                }
                double[] ci = c[i];
                for (int j = 0; j < m; j++) {
                    ci[j] += v * bp[j];
                }
            }
        }
        return c;
    }

    /**
     * {@code F^T V F} for a symmetric V, computed as {@code F^T (F^T V)^T} so that only products with F
     * on the left remain: they skip F's zeros, which matters for the sparse structured dynamics.
     */
    public static double[][] sandwich(double[][] f, double[][] v) {
        return tmul(f, transpose(tmul(f, v)));
    }

    /** {@code A B^T}. */
    public static double[][] mult(double[][] a, double[][] b) {
        int n = a.length;
        int m = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                c[i][j] = dot(a[i], b[j]);
            }
        }
        return c;
    }

    /** {@code A x}. */
    public static double[] mul(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = dot(a[i], x);
        }
        return y;
    }

    /** {@code A^T x}. */
    public static double[] tmul(double[][] a, double[] x) {
        double[] y = new double[a[0].length];
        for (int p = 0; p < a.length; p++) {
            double v = x[p];
            if (v == 0) {
                continue;
            }
            for (int j = 0; j < y.length; j++) {
                y[j] += v * a[p][j];
            }
        }
        return y;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** {@code x^T A x}. */
    public static double quad(double[][] a, double[] x) {
        return dot(x, mul(a, x));
    }

    public static double[][] add(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] + b[i][j];
            }
        }
        return c;
    }

    public static double[][] sub(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] - b[i][j];
            }
        }
        return c;
    }

    public static double[][] scale(double[][] a, double s) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = s * a[i][j];
            }
        }
        return c;
    }

    /** {@code a + s b}. */
    public static double[][] axpy(double[][] a, double s, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] + s * b[i][j];
            }
        }
        return c;
    }

    public static double[] add(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] + b[i];
        }
        return c;
    }

    public static double[] sub(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] - b[i];
        }
        return c;
    }

    public static double[] scale(double[] a, double s) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = s * a[i];
        }
        return c;
    }

    public static double[][] outer(double[] a, double[] b) {
        double[][] c = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                c[i][j] = a[i] * b[j];
            }
        }
        return c;
    }

    /** Replaces {@code A} by {@code (A + A^T) / 2}. */
    public static double[][] symmetrizeInPlace(double[][] a) {
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                double v = 0.5 * (a[i][j] + a[j][i]);
                a[i][j] = v;
                a[j][i] = v;
            }
        }
        return a;
    }

    /** Adds {@code s} to the diagonal entries {@code [from, to)}. */
    public static double[][] addDiagonalInPlace(double[][] a, int from, int to, double s) {
        for (int i = from; i < to; i++) {
            a[i][i] += s;
        }
        return a;
    }

    public static double trace(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i][i];
        }
        return s;
    }

    /** {@code tr(A B)} without forming the product. */
    public static double traceOfProduct(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                s += a[i][j] * b[j][i];
            }
        }
        return s;
    }

    /** The block of rows {@code [r0, r1)} and columns {@code [c0, c1)}. */
    public static double[][] block(double[][] a, int r0, int r1, int c0, int c1) {
        double[][] b = new double[r1 - r0][c1 - c0];
        for (int i = r0; i < r1; i++) {
            System.arraycopy(a[i], c0, b[i - r0], 0, c1 - c0);
        }
        return b;
    }

    public static double[] slice(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    /** Writes {@code b} into {@code a} at row {@code r0}, column {@code c0}. */
    public static void setBlock(double[][] a, int r0, int c0, double[][] b) {
        for (int i = 0; i < b.length; i++) {
            System.arraycopy(b[i], 0, a[r0 + i], c0, b[i].length);
        }
    }

    public static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * Lower Cholesky factor L with {@code L L^T = A} of a symmetric matrix.
     *
     * @throws NotPositiveDefiniteException when a pivot is not positive
     */
    public static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int j = 0; j < n; j++) {
            double d = a[j][j];
            double[] lj = l[j];
            for (int k = 0; k < j; k++) {
                d -= lj[k] * lj[k];
            }
            if (!(d > 0)) {
                throw new NotPositiveDefiniteException("pivot " + j + " is " + d);
            }
            double root = Math.sqrt(d);
            lj[j] = root;
            for (int i = j + 1; i < n; i++) {
                double[] li = l[i];
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= li[k] * lj[k];
                }
                li[j] = s / root;
            }
        }
        return l;
    }

    /** Solves {@code L z = b} for a lower-triangular L (forward substitution). */
    public static double[] forwardSolve(double[][] l, double[] b) {
        double[] z = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * z[k];
            }
            z[i] = s / l[i][i];
        }
        return z;
    }

    /** Solves {@code L L^T X = B} for X given the lower factor L. */
    public static double[][] cholSolve(double[][] l, double[][] b) {
        int n = l.length;
        int m = b[0].length;
        double[][] x = copy(b);
        for (int col = 0; col < m; col++) {
            for (int i = 0; i < n; i++) {
                double s = x[i][col];
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * x[k][col];
                }
                x[i][col] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = x[i][col];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * x[k][col];
                }
                x[i][col] = s / l[i][i];
            }
        }
        return x;
    }

    /** Solves {@code L L^T x = b}. */
    public static double[] cholSolve(double[][] l, double[] b) {
        double[][] col = new double[b.length][1];
        for (int i = 0; i < b.length; i++) {
            col[i][0] = b[i];
        }
        double[][] x = cholSolve(l, col);
        double[] out = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = x[i][0];
        }
        return out;
    }

    /** Inverse of a symmetric positive-definite matrix. */
    public static double[][] spdInverse(double[][] a) {
        return symmetrizeInPlace(cholSolve(cholesky(a), identity(a.length)));
    }

    /** {@code log |A|} from the lower Cholesky factor. */
    public static double logDetFromCholesky(double[][] l) {
        double s = 0;
        for (int i = 0; i < l.length; i++) {
            s += Math.log(l[i][i]);
        }
        return 2 * s;
    }
}
