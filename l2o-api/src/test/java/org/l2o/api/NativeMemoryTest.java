package org.l2o.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.RolloutExecutor;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.factory.Nd4j;

/** The grace period that keeps ND4J from freeing buffers under a running call (NativeMemoryIT shows the crash). */
class NativeMemoryTest {

    /** A thread that enters a section, waits for {@code leave}, then does what {@code exit} says. */
    private static Thread inside(CountDownLatch entered, CountDownLatch leave, Runnable work, boolean checkpoint) {
        Thread t = new Thread(() -> {
            try (NativeMemory.Section s = NativeMemory.enter()) {
                work.run();
                entered.countDown();
                await(leave);
                if (checkpoint) {
                    NativeMemory.checkpoint();
                    await(new CountDownLatch(1), 60_000); // stays inside: only the checkpoint may end the wait
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void await(CountDownLatch latch) {
        await(latch, 30_000);
    }

    private static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }

    @Test
    void isInstalledByDefault() {
        assertTrue(NativeMemory.guarded(), "ND4J's deallocation should be guarded unless switched off");
    }

    @Test
    void theGracePeriodWaitsForAThreadInsideASectionUntilItLeaves() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread t = inside(entered, leave, () -> { }, false);
        await(entered);
        CompletableFuture<Void> grace = CompletableFuture.runAsync(NativeMemory::awaitGracePeriod);
        assertFalse(within(300, grace::isDone), "the grace period ended while the thread was inside");
        leave.countDown();
        grace.get(30, TimeUnit.SECONDS);
        t.join(30_000);
    }

    @Test
    void aCheckpointEndsTheGracePeriodWithoutLeaving() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread t = inside(entered, leave, () -> { }, true);
        await(entered);
        CompletableFuture<Void> grace = CompletableFuture.runAsync(NativeMemory::awaitGracePeriod);
        assertFalse(within(300, grace::isDone), "the grace period ended before the checkpoint");
        leave.countDown();
        grace.get(30, TimeUnit.SECONDS);
        assertTrue(t.isAlive(), "the thread should still be inside its section");
        t.interrupt();
    }

    @Test
    void threadsOutsideSectionsAndNestedExitsBehaveAsSaid() throws Exception {
        // no thread inside: the grace period is immediate
        CompletableFuture.runAsync(NativeMemory::awaitGracePeriod).get(30, TimeUnit.SECONDS);
        // an inner close leaves the thread inside the outer section
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread t = inside(entered, leave, () -> NativeMemory.enter().close(), false);
        await(entered);
        CompletableFuture<Void> grace = CompletableFuture.runAsync(NativeMemory::awaitGracePeriod);
        assertFalse(within(300, grace::isDone), "an inner close ended the outer section");
        leave.countDown();
        grace.get(30, TimeUnit.SECONDS);
        t.join(30_000);
        NativeMemory.Section s = NativeMemory.enter();
        s.close();
        assertThrows(IllegalStateException.class, s::close);
    }

    /** A buffer that becomes garbage while its thread is inside stays allocated until the thread leaves. */
    @Test
    void aBufferCollectedDuringASectionIsFreedOnlyAfterIt() throws Exception {
        Map<String, ?> registered = registered();
        AtomicReference<String> id = new AtomicReference<>();
        AtomicReference<WeakReference<DataBuffer>> collected = new AtomicReference<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread t = inside(entered, leave, () -> {
            DataBuffer garbage = Nd4j.create(DataType.FLOAT, 1000).data();
            id.set(((org.nd4j.linalg.api.memory.Deallocatable) garbage).getUniqueId());
            collected.set(new WeakReference<>(garbage));
        }, false);
        await(entered);
        assertTrue(registered.containsKey(id.get()), "ND4J did not register the buffer");
        assertTrue(within(30_000, () -> {
            System.gc();
            return collected.get().get() == null;
        }), "the buffer was not collected");
        assertFalse(within(500, () -> !registered.containsKey(id.get())),
                "the buffer was freed while its thread was inside a section");
        leave.countDown();
        t.join(30_000);
        assertTrue(within(30_000, () -> !registered.containsKey(id.get())),
                "the buffer was not freed after the section ended");
    }

    @Test
    void rolloutsAndExecutorTasksRunInsideSections() {
        boolean[] inside = new boolean[1];
        RolloutExecutor.sequential().invokeAll(java.util.List.of(() -> {
            inside[0] = NativeMemory.depth() > 0;
            return 0;
        }), r -> { });
        assertTrue(inside[0], "an executor task ran outside a section");
        var f = org.l2o.api.testkit.TestObjectives.quadratic(3, 1, 0);
        boolean[] stepInside = {true};
        Rollout.run(f, RolloutTest.gd(0.1), f.initialPoint(Seeds.generator(1)), 3, Seeds.generator(2),
                (s, x, v, o, g, d, e) -> stepInside[0] &= NativeMemory.depth() > 0);
        assertTrue(stepInside[0], "a rollout step ran outside a section");
        assertEquals(0, NativeMemory.depth(), "the rollout left its section open");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> registered() throws ReflectiveOperationException {
        DeallocatorService service = Nd4j.getDeallocatorService();
        Field f = DeallocatorService.class.getDeclaredField("referenceMap");
        f.setAccessible(true);
        return (Map<String, ?>) f.get(service);
    }
}
