package org.l2o.bench;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Matrix-multiply throughput of this machine through ND4J's BLAS (square, column-major), the
 * denominator of the arithmetic limit {@code l2o bench} states for each MLP case.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Gemm {

    @Param({"512"})
    public int size;

    @Param({"f32", "f64"})
    public String precision;

    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup(Level.Trial)
    public void setUp() {
        DataType type = precision.equals("f32") ? DataType.FLOAT : DataType.DOUBLE;
        a = Nd4j.rand(type, 'f', size, size);
        b = Nd4j.rand(type, 'f', size, size);
        c = Nd4j.create(type, new long[] {size, size}, 'f');
    }

    @Benchmark
    public INDArray multiply() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    /** Floating-point operations of one {@link #multiply}. */
    static double flops(int size) {
        return 2.0 * size * size * size;
    }
}
