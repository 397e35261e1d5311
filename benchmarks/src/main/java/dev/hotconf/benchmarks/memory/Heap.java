package dev.hotconf.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Used heap after full collections. */
final class Heap {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private Heap() {}

  /**
   * The least used-heap reading over three rounds of {@link MemoryMXBean#gc()} (a full, stop-the-
   * world collection with the default G1 settings; not concurrent unless {@code
   * -XX:+ExplicitGCInvokesConcurrent} is given), each round two collections so objects with
   * finalizers or reference processing get their second chance.
   */
  static long usedAfterFullGc() {
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      MEMORY.gc();
      MEMORY.gc();
      least = Math.min(least, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
