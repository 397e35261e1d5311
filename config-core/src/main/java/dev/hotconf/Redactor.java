package dev.hotconf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides which keys hold secrets, and hides their values wherever hotconf would print one: error
 * messages, diffs, status, logs. A key is secret when any of its path segments matches one of the
 * patterns (case-insensitive find), so {@code db.password}, {@code consul.token} and {@code
 * aws.secret-access-key} are all secret by default.
 *
 * <p>Immutable and thread-safe.
 */
public final class Redactor {
  /** The text shown instead of a secret value. */
  public static final String REDACTED = "<redacted>";

  /**
   * Default patterns: password, passwd, secret, token, credential, private-key and api-key (the
   * last two also as {@code privateKey}, {@code private_key}, and nested: {@code api.key}).
   */
  public static final List<String> DEFAULT_PATTERNS =
      List.of(
          "password",
          "passwd",
          "secret",
          "token",
          "credential",
          "private[-_.]?key",
          "api[-_.]?key");

  private static final Redactor DEFAULT = new Redactor(DEFAULT_PATTERNS);

  private final Pattern pattern;
  private final List<String> patterns;

  private Redactor(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    StringBuilder sb = new StringBuilder();
    for (String p : this.patterns) {
      Objects.requireNonNull(p, "pattern");
      if (sb.length() > 0) {
        sb.append('|');
      }
      sb.append('(').append(p).append(')');
    }
    this.pattern =
        sb.length() == 0 ? null : Pattern.compile(sb.toString(), Pattern.CASE_INSENSITIVE);
  }

  /** The default redactor (see {@link #DEFAULT_PATTERNS}). */
  public static Redactor defaults() {
    return DEFAULT;
  }

  /**
   * A redactor for the given regular expressions (matched case-insensitively anywhere in a key).
   */
  public static Redactor of(List<String> patterns) {
    return new Redactor(patterns);
  }

  /** The default patterns plus {@code extra}. */
  public static Redactor defaultsPlus(String... extra) {
    List<String> all = new ArrayList<>(DEFAULT_PATTERNS);
    all.addAll(List.of(extra));
    return new Redactor(all);
  }

  public List<String> patterns() {
    return patterns;
  }

  /** Whether values under {@code key} (a dotted key, possibly null) are secret. */
  public boolean isSecret(String key) {
    return key != null && pattern != null && pattern.matcher(key).find();
  }

  /** The value's text for display, or {@link #REDACTED} when the key is secret. */
  public String display(String key, Object value) {
    if (isSecret(key)) {
      return REDACTED;
    }
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    if (value instanceof ConfigScalar scalar) {
      return scalar.value() instanceof String s ? "'" + s + "'" : scalar.text();
    }
    if (value instanceof ConfigObject) {
      return "an object";
    }
    if (value instanceof ConfigList) {
      return "a list";
    }
    return String.valueOf(value);
  }
}
