package org.l2o.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;

class ThreadedRolloutsTest {

    @Test
    void resultsComeBackInTaskOrderFromSeveralThreads() {
        Set threads = new Set();
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int k = i;
            tasks.add(() -> {
                threads.add(Thread.currentThread().getName());
                Thread.sleep((40 - k) % 7); // later tasks often finish first
                return k * k;
            });
        }
        List<Integer> inOrder = new ArrayList<>();
        try (ThreadedRollouts rollouts = new ThreadedRollouts(4)) {
            List<Integer> out = rollouts.invokeAll(tasks, inOrder::add);
            for (int i = 0; i < 40; i++) {
                assertEquals(i * i, out.get(i));
            }
            assertEquals(out, inOrder);
        }
        assertTrue(threads.size() > 1, "ran on " + threads);
    }

    @Test
    void theFirstFailureInTaskOrderIsReportedAfterTheRunningTasksEnd() {
        List<Callable<Integer>> tasks = new ArrayList<>();
        tasks.add(() -> 1);
        tasks.add(() -> {
            Thread.sleep(30);
            throw new IllegalArgumentException("task 1");
        });
        tasks.add(() -> {
            throw new IllegalStateException("task 2");
        });
        List<Integer> seen = new ArrayList<>();
        try (ThreadedRollouts rollouts = new ThreadedRollouts(3)) {
            var e = assertThrows(IllegalArgumentException.class, () -> rollouts.invokeAll(tasks, seen::add));
            assertEquals("task 1", e.getMessage());
        }
        assertEquals(List.of(1), seen);
        assertThrows(ConfigurationException.class, () -> new ThreadedRollouts(0));
    }

    /** A thread-safe set of names. */
    private static final class Set {
        private final java.util.Set<String> names = ConcurrentHashMap.newKeySet();

        void add(String name) {
            names.add(name);
        }

        int size() {
            return names.size();
        }

        @Override
        public String toString() {
            return names.toString();
        }
    }
}
