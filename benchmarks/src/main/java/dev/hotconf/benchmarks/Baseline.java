package dev.hotconf.benchmarks;

/**
 * The physical limit of hotconf's read path, written by hand: a volatile reference to a holder of
 * the current snapshot and its cached typed values. Every read benchmark compares against it:
 * {@link #get()} for the primitive accessors, {@link #getText()} (a cached {@code String}, typed,
 * so no cast) and {@link #getDuration()} for the ones returning a reference ({@code
 * Setting<T>.get()}).
 */
public final class Baseline {
  /** The current snapshot and the values cached for it. */
  public static final class Holder {
    final Object snapshot;
    final int value;
    final String text;
    final java.time.Duration duration;

    public Holder(Object snapshot, int value) {
      this(snapshot, value, null, null);
    }

    public Holder(Object snapshot, int value, String text) {
      this(snapshot, value, text, null);
    }

    public Holder(Object snapshot, int value, String text, java.time.Duration duration) {
      this.snapshot = snapshot;
      this.value = value;
      this.text = text;
      this.duration = duration;
    }
  }

  public volatile Holder current;

  public int get() {
    return current.value;
  }

  public String getText() {
    return current.text;
  }

  public java.time.Duration getDuration() {
    return current.duration;
  }
}
