package dev.hotconf.sidecar.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Broken promises seen during the soak: all are counted, the first few are kept for the report. */
final class Violations {
  private static final int KEEP = 20;
  private final List<String> first = new ArrayList<>();
  private final AtomicLong count = new AtomicLong();

  void add(String where, String what) {
    count.incrementAndGet();
    synchronized (first) {
      if (first.size() < KEEP) {
        first.add(where + ": " + what);
      }
    }
  }

  long count() {
    return count.get();
  }

  List<String> first() {
    synchronized (first) {
      return List.copyOf(first);
    }
  }
}
