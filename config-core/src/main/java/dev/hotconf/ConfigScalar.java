package dev.hotconf;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A single value: a string, an integer ({@code Long} or {@code BigInteger}), a {@code Double}, a
 * {@code Boolean}, or null. The text it was written as is kept too, so that a string accessor on
 * {@code zip: 01234} returns {@code "01234"}.
 *
 * <p>Immutable and thread-safe. {@link #value()} may be null (a YAML/JSON null); {@link #text()}
 * never is.
 */
public final class ConfigScalar implements ConfigNode {
  private final Object value;
  private final String text;
  private final ConfigOrigin origin;

  private ConfigScalar(Object value, String text, ConfigOrigin origin) {
    if (value != null
        && !(value instanceof String
            || value instanceof Long
            || value instanceof BigInteger
            || value instanceof Double
            || value instanceof Boolean)) {
      throw new IllegalArgumentException("unsupported scalar type " + value.getClass().getName());
    }
    this.value = value;
    this.text = Objects.requireNonNull(text, "text");
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  /** A scalar whose text is derived from the value ({@code "null"} for null). */
  public static ConfigScalar of(Object value, ConfigOrigin origin) {
    Object v = value instanceof Integer i ? Long.valueOf(i) : value;
    return new ConfigScalar(v, String.valueOf(v), origin);
  }

  /** A scalar with an explicit source text, e.g. value 10 written as {@code 010}. */
  public static ConfigScalar of(Object value, String text, ConfigOrigin origin) {
    return new ConfigScalar(value, text, origin);
  }

  /** The typed value: String, Long, BigInteger, Double, Boolean, or null. */
  public Object value() {
    return value;
  }

  /** The text as written in the source. */
  public String text() {
    return text;
  }

  public boolean isNull() {
    return value == null;
  }

  @Override
  public ConfigOrigin origin() {
    return origin;
  }

  @Override
  public ConfigScalar withOrigin(ConfigOrigin newOrigin) {
    return new ConfigScalar(value, text, newOrigin);
  }

  @Override
  public int leafCount() {
    return 1;
  }

  @Override
  public Object unwrapped() {
    return value;
  }

  /** Content equality: same type and value (text and origin are not compared). */
  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigScalar other && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value);
  }

  /** The text; never use it in messages for secret keys (see {@link Redactor}). */
  @Override
  public String toString() {
    return text;
  }
}
