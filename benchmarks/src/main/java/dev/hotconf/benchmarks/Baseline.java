package dev.hotconf.benchmarks;

/**
 * The physical limit of hotconf's read path, written by hand: a volatile reference to a holder of
 * the current snapshot and its cached typed value. Every read benchmark compares against it.
 */
public final class Baseline {
  /** The current snapshot and the value cached for it. */
  public static final class Holder {
    final Object snapshot;
    final int value;

    public Holder(Object snapshot, int value) {
      this.snapshot = snapshot;
      this.value = value;
    }
  }

  public volatile Holder current;

  public int get() {
    return current.value;
  }
}
