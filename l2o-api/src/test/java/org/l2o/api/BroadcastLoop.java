package org.l2o.api;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shape of Deeplearning4j's bias add, in a loop on several threads while the garbage collector
 * runs often: {@code addiRowVector} hands ND4J a dimension array that only the dead op object
 * references. Run by {@link NativeMemoryIT} in a child JVM:
 * {@code BroadcastLoop SECONDS THREADS guarded|bare}.
 */
public final class BroadcastLoop {

    private BroadcastLoop() {
    }

    public static void main(String[] args) throws InterruptedException {
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        int threads = Integer.parseInt(args[1]);
        boolean guarded = args[2].equals("guarded");
        AtomicLong ops = new AtomicLong();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                INDArray activations = Nd4j.rand(DataType.FLOAT, 64, 10);
                INDArray bias = Nd4j.rand(DataType.FLOAT, 1, 10);
                long n = 0;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 1000; i++) {
                        if (guarded) {
                            try (NativeMemory.Section s = NativeMemory.enter()) {
                                activations.addiRowVector(bias);
                            }
                        } else {
                            activations.addiRowVector(bias);
                        }
                    }
                    n += 1000;
                    byte[] churn = new byte[1 << 16]; // keeps the young generation cycling
                    churn[n % churn.length == 0 ? 1 : 0] = 1;
                }
                ops.addAndGet(n);
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        System.out.println("finished " + ops.get() + " broadcasts, guarded=" + NativeMemory.guarded());
    }
}
