package org.l2o.api;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.nd4j.linalg.api.memory.Deallocatable;
import org.nd4j.linalg.api.memory.deallocation.DeallocatableReference;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keeps ND4J from freeing an array's native memory while a thread still reads it.
 *
 * <p>ND4J 1.0.0-M2.1 frees an array's native buffer on its deallocator threads once the garbage
 * collector finds the Java array unreachable. Its operations do not keep their arguments reachable
 * during the native call: a broadcast or reduction passes its dimension array, referenced only by
 * the op object that is dead once the arguments are read, so a collection in that window lets a
 * deallocator thread free the buffer the native code is about to read, and the JVM dies with
 * SIGSEGV in {@code sd::DataBuffer::primary()}. Frequent collections make it likely (a loop of
 * {@code addiRowVector} on a 4 MB young generation dies within seconds, on one thread or two);
 * Deeplearning4j's layers make such calls on every pass.
 *
 * <p>The cure here is a grace period, as read-copy-update has it: ND4J's deallocation queues are
 * replaced by one that a thread of this class drains, and each batch of buffers it takes is freed
 * only after every thread that was inside a {@linkplain #enter section} when the batch was taken
 * has left it or passed a {@linkplain Section#checkpoint checkpoint}. A buffer found unreachable
 * can then only be in use by a call still running in such a section, and that call has ended.
 * Threads never wait for the deallocator; the deallocator waits for at most one section or step.
 * Rollouts run every step in a section; code that drives ND4J itself (a Deeplearning4j training
 * loop, say) wraps each iteration in {@code try (var s = NativeMemory.enter()) { ... }}.
 *
 * <p>Arrays that became unreachable before the first section, and all arrays when the system
 * property {@value #PROPERTY} is {@code false} or ND4J's internals are not as expected (one warning),
 * are freed by ND4J's own threads as before.
 */
public final class NativeMemory {

    /** System property that switches the guard off when {@code false}. */
    public static final String PROPERTY = "l2o.nd4j.guardedDeallocation";

    private static final System.Logger LOG = System.getLogger(NativeMemory.class.getName());

    /** At most this many buffers are freed per grace period. */
    private static final int BATCH = 4096;

    private static final Map<Thread, Section> SECTIONS = new ConcurrentHashMap<>();
    private static final ThreadLocal<Section> CURRENT = ThreadLocal.withInitial(() -> {
        Section s = new Section();
        SECTIONS.put(Thread.currentThread(), s);
        return s;
    });
    private static final boolean GUARDED = install();

    private NativeMemory() {
    }

    /**
     * This thread's section, entered (sections nest: only the outermost {@link Section#close}
     * leaves). Close it when the ND4J work that may use temporary arrays is done.
     */
    public static Section enter() {
        Section s = CURRENT.get();
        if (s.depth++ == 0) {
            s.epoch++;
        }
        return s;
    }

    /**
     * Marks a checkpoint in this thread's current section, if it is inside one (see
     * {@link Section#checkpoint}); loops that run inside a long section call it once per step.
     */
    public static void checkpoint() {
        CURRENT.get().checkpoint();
    }

    /** How deep this thread is in sections (0: outside). */
    static int depth() {
        return CURRENT.get().depth;
    }

    /** Whether ND4J's deallocation waits for sections (false when switched off or not installable). */
    public static boolean guarded() {
        return GUARDED;
    }

    /**
     * A thread's critical section for ND4J work. Not thread-safe: it belongs to the thread that
     * entered it, and only that thread closes it or marks checkpoints.
     */
    public static final class Section implements AutoCloseable {
        /** Odd while the thread is inside; each change ends a grace period for this thread. */
        private volatile long epoch;
        private int depth;

        private Section() {
        }

        /**
         * Tells the deallocator that the arrays this thread used so far are no longer being read by
         * a native call (a step boundary inside a long section), so it need not wait for the close.
         */
        public void checkpoint() {
            if (depth > 0) {
                epoch += 2;
            }
        }

        @Override
        public void close() {
            if (depth <= 0) {
                throw new IllegalStateException("section closed more often than entered");
            }
            if (--depth == 0) {
                epoch++;
            }
        }
    }

    /** Waits until every live thread inside a section now has left it or passed a checkpoint. */
    static void awaitGracePeriod() {
        List<Map.Entry<Thread, Section>> inside = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        for (Map.Entry<Thread, Section> e : SECTIONS.entrySet()) {
            if (!e.getKey().isAlive()) {
                SECTIONS.remove(e.getKey());
                continue;
            }
            long epoch = e.getValue().epoch;
            if ((epoch & 1) == 1) {
                inside.add(e);
                at.add(epoch);
            }
        }
        for (int i = 0; i < inside.size(); i++) {
            Thread thread = inside.get(i).getKey();
            Section s = inside.get(i).getValue();
            while (s.epoch == at.get(i) && thread.isAlive()) {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private static boolean install() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return false;
        }
        try {
            DeallocatorService service = Nd4j.getDeallocatorService();
            List<List<ReferenceQueue<Deallocatable>>> devices = field(service, "deviceMap");
            Map<String, DeallocatableReference> registered = field(service, "referenceMap");
            ReferenceQueue<Deallocatable> queue = new ReferenceQueue<>();
            boolean any = false;
            for (List<ReferenceQueue<Deallocatable>> queues : devices) {
                for (int i = 0; i < queues.size(); i++) {
                    queues.set(i, queue); // same size: ND4J reads the list without locking
                    any = true;
                }
            }
            if (!any) {
                return false; // ND4J's automatic deallocation is off: nothing is freed behind a call
            }
            Thread drain = new Thread(() -> drain(queue, registered), "l2o-nd4j-deallocator");
            drain.setDaemon(true);
            drain.start();
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot guard ND4J's deallocation (" + e + "); arrays are freed as ND4J does, "
                    + "which can crash the JVM when threads run ND4J operations while collections happen");
            return false;
        }
    }

    private static void drain(ReferenceQueue<Deallocatable> queue, Map<String, DeallocatableReference> registered) {
        List<DeallocatableReference> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add((DeallocatableReference) queue.remove());
                Reference<? extends Deallocatable> more;
                while (batch.size() < BATCH && (more = queue.poll()) != null) {
                    batch.add((DeallocatableReference) more);
                }
                awaitGracePeriod();
                for (DeallocatableReference r : batch) {
                    try {
                        r.getDeallocator().deallocate();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "freeing ND4J buffer " + r.getId() + " failed", e);
                    }
                    registered.remove(r.getId());
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                batch.clear();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(Object owner, String name) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return (T) f.get(owner);
    }
}
