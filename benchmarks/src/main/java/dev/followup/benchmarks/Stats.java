package dev.followup.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The measured repetitions of one side of a benchmark: median, min and max (medians because the machine is shared and noisy). */
final class Stats {
    private final List<Double> values = new ArrayList<>();

    void add(double value) {
        values.add(value);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    double median() {
        List<Double> sorted = sorted();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return sorted().get(0);
    }

    double max() {
        List<Double> sorted = sorted();
        return sorted.get(sorted.size() - 1);
    }

    private List<Double> sorted() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }

    String describe(String unit) {
        return String.format("%,.1f %s (min %,.1f, max %,.1f, n=%d)", median(), unit, min(), max(), values.size());
    }

    /** As {@link #describe}, to three decimals: for fractions of a millisecond. */
    String describeFine(String unit) {
        return String.format("%,.3f %s (min %,.3f, max %,.3f, n=%d)", median(), unit, min(), max(), values.size());
    }

    /** @return the value at quantile q (0..1) of a latency sample, nearest rank */
    static double quantile(long[] nanos, double q) {
        long[] copy = nanos.clone();
        java.util.Arrays.sort(copy);
        int rank = (int) Math.ceil(q * copy.length) - 1;
        return copy[Math.max(0, Math.min(copy.length - 1, rank))] / 1e6;
    }
}
