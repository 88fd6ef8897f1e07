package io.quarkflow.tracking.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.NavigableSet;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricSamplerTest {

    private static List<Long> steps(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void keepsEveryStepWhenThereAreFewEnough() {
        assertEquals(List.of(0L, 1L, 2L), List.copyOf(MetricSampler.sample(List.of(steps(0, 2)), null, null, 10)));
    }

    @Test
    void samplesEvenlyAndKeepsFirstAndLast() {
        NavigableSet<Long> sampled = MetricSampler.sample(List.of(steps(0, 999)), null, null, 10);
        assertEquals(11, sampled.size());
        assertEquals(0L, sampled.first());
        assertEquals(999L, sampled.last());
        assertTrue(sampled.contains(500L));
    }

    @Test
    void keepsEachRunsEndpointsWithinTheRange() {
        NavigableSet<Long> sampled = MetricSampler.sample(List.of(steps(0, 999), steps(3, 7)), null, null, 4);
        assertTrue(sampled.containsAll(List.of(0L, 3L, 7L, 999L)), sampled.toString());
    }

    @Test
    void restrictsToTheStepRange() {
        NavigableSet<Long> sampled = MetricSampler.sample(List.of(steps(0, 100)), 10L, 20L, 100);
        assertEquals(10L, sampled.first());
        assertEquals(20L, sampled.last());
        assertEquals(11, sampled.size());
    }

    @Test
    void noStepsGiveNoSamples() {
        assertTrue(MetricSampler.sample(List.of(List.of()), null, null, 10).isEmpty());
    }
}
