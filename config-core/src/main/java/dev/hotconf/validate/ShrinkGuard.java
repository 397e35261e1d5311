package dev.hotconf.validate;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigPath;
import dev.hotconf.ConfigScalar;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: a version-level rule, so it needs the live snapshot beside the candidate
 * (ValidationContext.live()). It counts leaf keys (ConfigSnapshot.values(): scalars, empty objects
 * and lists, by dotted key) of the live snapshot that the candidate no longer has. The one-shot
 * override is an AtomicBoolean consumed by the next candidate the guard looks at (whether or not it
 * shrinks), so an allowance never lingers until some later, unintended shrink. The marker-key
 * override lives in the data itself: whoever writes a large change on purpose also changes the
 * marker's value, which works where nobody can call an API (a Consul key written by a pipeline).
 */

/**
 * Refuses a candidate configuration that removes more than a given share of the live leaf keys, or
 * that is empty while the live one is not: the typical shape of a store that lost data (a Consul
 * prefix deleted, a file truncated) rather than of an intended change. A refusal is an ordinary
 * rejection: the live configuration stays, and the problem says how many keys would go and how to
 * allow it.
 *
 * <p>Overrides for intended large changes:
 *
 * <ul>
 *   <li>{@link #allowNext()}: the next candidate the guard checks passes it (one shot; the
 *       sidecar's {@code POST /v1/guard/allow} calls it). Follow it with {@link
 *       dev.hotconf.HotConfig#recheck()} to re-evaluate a candidate already rejected.
 *   <li>a marker key ({@link Builder#allowKey}): a candidate whose value at that key differs from
 *       the live one's passes (change the marker together with the large change).
 * </ul>
 *
 * <p>The first configuration (nothing live yet) always passes. Thread-safe: {@link #allowNext()}
 * may be called from any thread; {@link #validate} runs on the pipeline thread.
 */
public final class ShrinkGuard implements Validator {
  private static final Logger LOG = LoggerFactory.getLogger(ShrinkGuard.class);
  private static final int LISTED_KEYS = 5;

  private final double maxRemovedShare;
  private final boolean refuseEmpty;
  private final ConfigPath allowKey;
  private final AtomicBoolean allowNext = new AtomicBoolean();

  private ShrinkGuard(Builder b) {
    this.maxRemovedShare = b.maxRemovedShare;
    this.refuseEmpty = b.refuseEmpty;
    this.allowKey = b.allowKey;
  }

  /** A builder; by default the guard refuses only an empty candidate while the live one is not. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A guard refusing candidates that remove more than {@code share} (0 to 1) of the live leaf keys,
   * or that are empty while the live one is not.
   *
   * @throws IllegalArgumentException when {@code share} is not within [0, 1]
   */
  public static ShrinkGuard maxRemovedKeys(double share) {
    return builder().maxRemovedShare(share).build();
  }

  /**
   * Parses a share written as a percentage, {@code 30%} or {@code 12.5%} (0% to 100%).
   *
   * @throws IllegalArgumentException naming the expected form (the text is not echoed)
   */
  public static double parsePercent(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.trim();
    if (t.endsWith("%")) {
      try {
        double v = Double.parseDouble(t.substring(0, t.length() - 1).trim());
        if (v >= 0 && v <= 100 && !t.substring(0, t.length() - 1).trim().isEmpty()) {
          return v / 100;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException("expected a percentage from 0% to 100%, like 30%");
  }

  /** Lets the next candidate this guard checks pass it, whatever it removes (one shot). */
  public void allowNext() {
    allowNext.set(true);
    LOG.info("hotconf shrink guard: the next candidate is allowed whatever it removes");
  }

  /** Whether {@link #allowNext()} was called and no candidate has used it yet. */
  public boolean isNextAllowed() {
    return allowNext.get();
  }

  /** The largest share of live leaf keys a candidate may remove (1 when only emptiness counts). */
  public double maxRemovedShare() {
    return maxRemovedShare;
  }

  /** Whether an empty candidate is refused while the live configuration is not empty. */
  public boolean refusesEmpty() {
    return refuseEmpty;
  }

  /** The marker key, if one is set. */
  public Optional<ConfigPath> allowKey() {
    return Optional.ofNullable(allowKey);
  }

  @Override
  public void validate(ValidationContext context) {
    Optional<ConfigSnapshot> liveSnapshot = context.live();
    if (liveSnapshot.isEmpty()) {
      return;
    }
    boolean allowed = allowNext.getAndSet(false);
    ConfigSnapshot live = liveSnapshot.get();
    ConfigSnapshot candidate = context.candidate();
    NavigableMap<String, ConfigNode> before = live.values();
    if (before.isEmpty()) {
      return;
    }
    NavigableMap<String, ConfigNode> after = candidate.values();
    List<String> removed = new ArrayList<>();
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        removed.add(key);
      }
    }
    boolean empty = after.isEmpty();
    double share = (double) removed.size() / before.size();
    String why;
    if (empty && refuseEmpty) {
      why =
          "the new configuration is empty while version "
              + live.version()
              + " has "
              + count(before.size())
              + "; refused by the shrink guard (a store that lost its data looks like this)";
    } else if (share > maxRemovedShare) {
      why =
          "the new configuration removes "
              + removed.size()
              + " of "
              + count(before.size())
              + " ("
              + percent(share)
              + ", more than the shrink guard's max-removed-keys "
              + percent(maxRemovedShare)
              + "): "
              + listed(removed);
    } else {
      return;
    }
    if (allowed) {
      LOG.warn("hotconf shrink guard: allowed once: {}", why);
      return;
    }
    if (markerChanged(live, candidate)) {
      LOG.warn("hotconf shrink guard: allowed by a new value of {}: {}", allowKey, why);
      return;
    }
    context.problem(new Problem(null, null, why + "; " + howToAllow()));
  }

  private boolean markerChanged(ConfigSnapshot live, ConfigSnapshot candidate) {
    if (allowKey == null) {
      return false;
    }
    String now = markerText(candidate);
    return now != null && !now.equals(markerText(live));
  }

  private String markerText(ConfigSnapshot s) {
    ConfigNode n = s.node(allowKey.toString()).orElse(null);
    return n instanceof ConfigScalar scalar && !scalar.isNull() ? scalar.text() : null;
  }

  private String howToAllow() {
    String base =
        "if intended, allow it once (sidecar: POST /v1/guard/allow; library: ShrinkGuard.allowNext()"
            + " then HotConfig.recheck())";
    return allowKey == null ? base : base + " or change the value of '" + allowKey + "' with it";
  }

  private static String count(int n) {
    return n == 1 ? "1 key" : n + " keys";
  }

  private static String listed(List<String> keys) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(LISTED_KEYS, keys.size()); i++) {
      sb.append(i == 0 ? "" : ", ").append(keys.get(i));
    }
    if (keys.size() > LISTED_KEYS) {
      sb.append(" and ").append(keys.size() - LISTED_KEYS).append(" more");
    }
    return sb.toString();
  }

  /** A share as a percentage text: {@code 30%}, {@code 12.5%}. */
  public static String percent(double share) {
    double p = share * 100;
    return (p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.1f", p))
        + "%";
  }

  @Override
  public String toString() {
    return "ShrinkGuard[max-removed-keys="
        + percent(maxRemovedShare)
        + ", refuse-empty="
        + refuseEmpty
        + (allowKey == null ? "" : ", allow-key=" + allowKey)
        + "]";
  }

  /** Builds a {@link ShrinkGuard}. Inputs are checked when given. Not thread-safe. */
  public static final class Builder {
    private double maxRemovedShare = 1.0;
    private boolean maxRemovedSet;
    private boolean refuseEmpty = true;
    private ConfigPath allowKey;

    private Builder() {}

    /**
     * The largest share (0 to 1) of the live leaf keys a candidate may remove; default 1 (no limit:
     * only an empty candidate is refused).
     */
    public Builder maxRemovedShare(double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("max removed share must be within [0, 1]");
      }
      if (maxRemovedSet) {
        throw new IllegalStateException("max removed share was already set");
      }
      this.maxRemovedShare = share;
      this.maxRemovedSet = true;
      return this;
    }

    /** Whether to refuse an empty candidate while the live configuration is not (default true). */
    public Builder refuseEmpty(boolean refuse) {
      this.refuseEmpty = refuse;
      return this;
    }

    /**
     * A marker key: a candidate whose value there differs from the live one's passes the guard.
     *
     * @throws IllegalArgumentException when {@code key} is not a dotted key
     */
    public Builder allowKey(String key) {
      Objects.requireNonNull(key, "key");
      ConfigPath path = ConfigPath.parse(key);
      if (path.size() == 0) {
        throw new IllegalArgumentException("the allow key must not be the root");
      }
      this.allowKey = path;
      return this;
    }

    /**
     * @throws IllegalStateException when the guard would refuse nothing (no share limit and empty
     *     candidates allowed)
     */
    public ShrinkGuard build() {
      if (!refuseEmpty && maxRemovedShare >= 1.0) {
        throw new IllegalStateException(
            "a shrink guard that neither limits removed keys nor refuses emptiness refuses nothing");
      }
      return new ShrinkGuard(this);
    }
  }
}
