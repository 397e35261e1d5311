package dev.hotconf.benchmarks;

/**
 * The physical limit of hotconf's read path, written by hand: a volatile reference to a holder of
 * the current snapshot and its cached typed values. Every read benchmark compares against it:
 * {@link #get()} for the primitive accessors, {@link #getObject()} for the ones returning a
 * reference ({@code Setting<T>.get()}).
 */
public final class Baseline {
  /** The current snapshot and the values cached for it. */
  public static final class Holder {
    final Object snapshot;
    final int value;
    final Object object;

    public Holder(Object snapshot, int value) {
      this(snapshot, value, null);
    }

    public Holder(Object snapshot, int value, Object object) {
      this.snapshot = snapshot;
      this.value = value;
      this.object = object;
    }
  }

  public volatile Holder current;

  public int get() {
    return current.value;
  }

  public Object getObject() {
    return current.object;
  }
}
