package dev.hotconf.validate;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigScalar;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.ConfigValueException;
import dev.hotconf.Problem;
import dev.hotconf.internal.PathSyntax;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Ready-made validators: required keys, types, numeric ranges, patterns, allowed values, and
 * arbitrary checks over the whole candidate. Every rule reports all its problems, with the key and
 * the origin of the value; values of secret keys are redacted in messages.
 *
 * <p>All rules are immutable and thread-safe. Rules on a key that is absent pass, except {@link
 * #required}: combine them to require a valid value. Inputs are checked when a rule is created: a
 * malformed key (see {@link dev.hotconf.HotConfig} for the key syntax), a NaN bound or an invalid
 * regular expression throws {@link IllegalArgumentException} there, not at every reload.
 */
public final class Rules {
  private Rules() {}

  /** Each key must be present with a non-null value. */
  public static Validator required(String... keys) {
    List<String> list = List.of(keys);
    list.forEach(Rules::checkKey);
    return ctx -> {
      for (String key : list) {
        if (!ctx.candidate().has(key)) {
          ctx.problem(key, "is required but missing");
        }
      }
    };
  }

  /**
   * The value at {@code key}, if present, must convert to {@code type} (e.g. Integer, Duration).
   */
  public static Validator type(String key, Class<?> type) {
    checkKey(key);
    Objects.requireNonNull(type, "type");
    return ctx -> {
      if (ctx.candidate().has(key)) {
        try {
          ctx.candidate().get(key, type);
        } catch (ConfigValueException e) {
          e.problems().forEach(ctx::problem);
        }
      }
    };
  }

  /** The number at {@code key}, if present, must lie in {@code [min, max]}. */
  public static Validator range(String key, double min, double max) {
    checkKey(key);
    if (Double.isNaN(min) || Double.isNaN(max)) {
      throw new IllegalArgumentException(
          "min and max must be numbers but were " + min + " and " + max);
    }
    if (min > max) {
      throw new IllegalArgumentException("min must be <= max but was " + min + " > " + max);
    }
    return ctx -> {
      Double value = number(ctx, key);
      if (value != null && (value < min || value > max)) {
        ctx.problem(
            key, ctx.display(key) + " is out of range [" + fmt(min) + ", " + fmt(max) + "]");
      }
    };
  }

  /** The number at {@code key}, if present, must be >= {@code min}. */
  public static Validator min(String key, double min) {
    return range(key, min, Double.POSITIVE_INFINITY);
  }

  /** The number at {@code key}, if present, must be <= {@code max}. */
  public static Validator max(String key, double max) {
    return range(key, Double.NEGATIVE_INFINITY, max);
  }

  /** The string at {@code key}, if present, must match {@code regex} entirely. */
  public static Validator pattern(String key, String regex) {
    checkKey(key);
    Pattern pattern = Pattern.compile(regex);
    return ctx -> {
      ConfigNode node = ctx.candidate().node(key).orElse(null);
      if (node == null) {
        return;
      }
      if (!(node instanceof ConfigScalar s) || !pattern.matcher(s.text()).matches()) {
        ctx.problem(key, ctx.display(key) + " does not match the pattern " + regex);
      }
    };
  }

  /** The value at {@code key}, if present, must be one of {@code allowed} (compared as text). */
  public static Validator oneOf(String key, String... allowed) {
    checkKey(key);
    Set<String> set = Set.copyOf(List.of(allowed));
    return ctx -> {
      ConfigNode node = ctx.candidate().node(key).orElse(null);
      if (node != null && !(node instanceof ConfigScalar s && set.contains(s.text()))) {
        ctx.problem(key, ctx.display(key) + " is not one of " + String.join(", ", allowed));
      }
    };
  }

  /**
   * An arbitrary check over the whole candidate, reported against {@code key} when it fails, e.g.
   * {@code check("db.pool.max", "must be >= db.pool.min", c -> c.getInt("db.pool.max") >=
   * c.getInt("db.pool.min"))}. A predicate that throws (a missing or mistyped key) fails the check
   * with the exception's problems.
   */
  public static Validator check(String key, String message, Predicate<ConfigSnapshot> predicate) {
    checkKey(key);
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(predicate, "predicate");
    return ctx -> {
      try {
        if (!predicate.test(ctx.candidate())) {
          ctx.problem(key, message);
        }
      } catch (ConfigValueException e) {
        for (Problem p : e.problems()) {
          ctx.problem(
              Problem.at(
                  p.key(),
                  p.origin(),
                  p.message() + " (while checking " + key + ": " + message + ")"));
        }
      }
    };
  }

  /** Several validators as one. */
  public static Validator all(Validator... validators) {
    List<Validator> list = List.of(validators);
    return ctx -> list.forEach(v -> v.validate(ctx));
  }

  private static Double number(ValidationContext ctx, String key) {
    if (!ctx.candidate().has(key)) {
      return null;
    }
    try {
      return ctx.candidate().get(key, Double.class);
    } catch (ConfigValueException e) {
      e.problems().forEach(ctx::problem);
      return null;
    }
  }

  /** Rejects a malformed key when the rule is created, not at every reload. */
  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    PathSyntax.parse(key);
  }

  private static String fmt(double d) {
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
