package dev.hotconf.parse;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A class a hostile YAML document names in a tag: loading or constructing it flips a flag that
 * tests assert stays down.
 */
public class Canary {
  static final AtomicBoolean LOADED = Flags.LOADED;
  static final AtomicBoolean CONSTRUCTED = Flags.CONSTRUCTED;

  static {
    Flags.LOADED.set(true);
  }

  public Canary() {
    Flags.CONSTRUCTED.set(true);
  }

  public Canary(String arg) {
    Flags.CONSTRUCTED.set(true);
  }

  /** Held apart from {@link Canary} so that reading the flags does not load it. */
  static final class Flags {
    static final AtomicBoolean LOADED = new AtomicBoolean();
    static final AtomicBoolean CONSTRUCTED = new AtomicBoolean();

    private Flags() {}
  }
}
