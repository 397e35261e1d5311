package dev.hotconf.consul.rollout;

import dev.hotconf.consul.fleet.AckRollout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * An instance's rollout bucket: 0 to 9,999, a pure function of its application and instance ID (the
 * first 64 bits of SHA-256 over {@code app}, a newline and {@code instance}, modulo 10,000), so an
 * instance keeps its bucket across restarts and every process (the instance itself, a driver,
 * {@code rollout status}) computes the same one. A stage whose bucket cut is {@code c} selects the
 * instances whose bucket is below {@code c}; the app is part of the hash so that the first canaries
 * of one application are not always the same hosts as another's.
 *
 * <p>Thread-safe; stateless.
 */
public final class Buckets {
  private Buckets() {}

  /** The bucket of {@code instance} in {@code app}. */
  public static int bucket(String app, String instance) {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(instance, "instance");
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((app + "\n" + instance).getBytes(StandardCharsets.UTF_8));
      long first = ByteBuffer.wrap(d, 0, 8).getLong();
      return (int) Long.remainderUnsigned(first, AckRollout.BUCKETS);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is always available", e);
    }
  }

  /**
   * The cut of a stage of {@code percent} % when nothing is known about the fleet: percent × 100.
   */
  public static int nominalCut(double percent) {
    return (int) Math.round(percent * AckRollout.BUCKETS / 100.0);
  }
}
