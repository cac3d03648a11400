package dev.followup.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** Prints each figure beside its baseline and collects the summary table printed at the end. */
final class Report {
    private final List<String> lines = new ArrayList<>();

    /** A figure where more is better (a rate), its baseline, and the target ratio (at least). */
    void pair(String name, String unit, Stats subject, String baselineName, Stats baseline, double target) {
        double ratio = subject.median() / baseline.median();
        String verdict = target <= 0 ? "no ratio target" : String.format("target >= %.2fx: %s", target, ratio >= target ? "MET" : "MISSED");
        add(String.format("%s%n    followup: %s%n    baseline (%s): %s%n    ratio %.3fx (%s)", name, subject.describe(unit), baselineName,
                baseline.describe(unit), ratio, verdict));
    }

    /** A figure where less is better (a duration): the target is at most {@code target} times the baseline. */
    void pairAtMost(String name, String unit, Stats subject, String baselineName, Stats baseline, double target) {
        double ratio = subject.median() / baseline.median();
        add(String.format("%s%n    followup: %s%n    baseline (%s): %s%n    ratio %.2fx (target <= %.1fx): %s", name,
                subject.describe(unit), baselineName, baseline.describe(unit), ratio, target, ratio <= target ? "MET" : "MISSED"));
    }

    void add(String text) {
        lines.add(text);
        System.out.println(text);
        System.out.flush();
    }

    void summary() {
        System.out.println();
        System.out.println("==== summary ====");
        lines.forEach(System.out::println);
    }
}
