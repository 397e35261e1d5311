package dev.hotconf.sidecar.soak;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Thread count and heap used after a full GC, sampled over the soak (this whole JVM). */
final class Samples {
  /** {@code groups}: live threads by name with digits dropped ("HttpClient-#-Worker-#"). */
  record Sample(
      double seconds,
      int threads,
      int hotconfThreads,
      long heapUsed,
      Map<String, Integer> groups) {}

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long start = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();

  /** Takes a sample: two explicit GCs, then heap used, then live threads. */
  synchronized Sample take() {
    System.gc();
    System.gc();
    long heap = memory.getHeapMemoryUsage().getUsed();
    int hotconf = 0;
    Map<String, Integer> groups = new TreeMap<>();
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (t != null) {
        hotconf += t.getThreadName().startsWith("hotconf") ? 1 : 0;
        // interned: the samples, kept for the report, must not grow the heap they measure
        groups.merge(t.getThreadName().replaceAll("[0-9]+", "#").intern(), 1, Integer::sum);
      }
    }
    Sample s =
        new Sample(
            (System.nanoTime() - start) / 1e9, threads.getThreadCount(), hotconf, heap, groups);
    samples.add(s);
    return s;
  }

  synchronized List<Sample> all() {
    return List.copyOf(samples);
  }

  /**
   * The samples after warm-up: the first quarter (at least 2 samples) is JIT, class loading, pools
   * filling.
   */
  synchronized List<Sample> steady() {
    int skip = Math.max(2, samples.size() / 4);
    return skip >= samples.size() ? List.of() : List.copyOf(samples.subList(skip, samples.size()));
  }

  /** Thread groups whose size differs between {@code a} and {@code b}: "name a->b". */
  static String groupDiff(Sample a, Sample b) {
    Map<String, String> diff = new TreeMap<>();
    Map<String, Integer> all = new TreeMap<>(a.groups());
    b.groups().keySet().forEach(k -> all.putIfAbsent(k, 0));
    for (String k : all.keySet()) {
      int x = a.groups().getOrDefault(k, 0);
      int y = b.groups().getOrDefault(k, 0);
      if (x != y) {
        diff.put(k, x + "->" + y);
      }
    }
    return diff.toString();
  }

  /** Least-squares slope of heap used over time, in bytes per second. */
  static double heapSlope(List<Sample> s) {
    int n = s.size();
    double mx = s.stream().mapToDouble(Sample::seconds).average().orElse(0);
    double my = s.stream().mapToDouble(Sample::heapUsed).average().orElse(0);
    double num = 0;
    double den = 0;
    for (Sample x : s) {
      num += (x.seconds() - mx) * (x.heapUsed() - my);
      den += (x.seconds() - mx) * (x.seconds() - mx);
    }
    return n < 2 || den == 0 ? 0 : num / den;
  }
}
