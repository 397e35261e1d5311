package dev.hotconf.consul.rollout;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an application's staged rollout lives in Consul: {@code <prefix><app>/candidate} (the
 * candidate version, the bytes an instance would otherwise read from the configuration key), {@code
 * <prefix><app>/rollout} (the {@link RolloutRecord}) and {@code <prefix><app>/lock} (held by the
 * driver's session while it drives). The default prefix is {@value #DEFAULT_PREFIX}, next to the
 * acknowledgements under {@code hotconf/acks/}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param prefix where every application's rollout lives, ending with {@code /}
 * @param app the application
 */
public record RolloutKeys(String prefix, String app) {

  /** Where rollouts live unless configured otherwise. */
  public static final String DEFAULT_PREFIX = "hotconf/rollouts/";

  private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9_.-]+/)+");
  private static final Pattern APP = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /**
   * @throws IllegalArgumentException for a prefix that is not {@code /}-separated segments of
   *     {@code [A-Za-z0-9_.-]} (a {@code /} is appended when missing) or an app that is not 1 to 64
   *     of those characters
   */
  public RolloutKeys {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(app, "app");
    prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix: must be segments of letters, digits, _ . or - separated by / but was '"
              + prefix
              + "'");
    }
    if (!APP.matcher(app).matches()) {
      throw new IllegalArgumentException(
          "app: must be 1 to 64 letters, digits, _ . or - but was '" + app + "'");
    }
  }

  /** The keys of {@code app} under the default prefix. */
  public static RolloutKeys of(String app) {
    return new RolloutKeys(DEFAULT_PREFIX, app);
  }

  /** The candidate's key. */
  public String candidate() {
    return prefix + app + "/candidate";
  }

  /** The rollout record's key. */
  public String record() {
    return prefix + app + "/rollout";
  }

  /** The driver's lock key. */
  public String lock() {
    return prefix + app + "/lock";
  }
}
