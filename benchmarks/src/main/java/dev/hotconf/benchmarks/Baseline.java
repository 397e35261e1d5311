package dev.hotconf.benchmarks;

/**
 * The physical limit of hotconf's read path, written by hand: a volatile reference to a holder of
 * the current snapshot and its cached typed values. Every read benchmark compares against it:
 * {@link #get()} for the primitive accessors, {@link #getText()} (a cached {@code String}, typed,
 * so no cast) for the ones returning a reference ({@code Setting<T>.get()}).
 */
public final class Baseline {
  /** The current snapshot and the values cached for it. */
  public static final class Holder {
    final Object snapshot;
    final int value;
    final String text;

    public Holder(Object snapshot, int value) {
      this(snapshot, value, null);
    }

    public Holder(Object snapshot, int value, String text) {
      this.snapshot = snapshot;
      this.value = value;
      this.text = text;
    }
  }

  public volatile Holder current;

  public int get() {
    return current.value;
  }

  public String getText() {
    return current.text;
  }
}
