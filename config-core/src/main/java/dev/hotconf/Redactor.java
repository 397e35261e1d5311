package dev.hotconf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides which keys hold secrets, and hides secrets wherever hotconf would print a value: error
 * messages, diffs, status, logs, {@code hotconf get}. Two rules:
 *
 * <ol>
 *   <li><b>Secret keys.</b> A key is secret when one of the patterns (regular expressions, matched
 *       case-insensitively anywhere in the dotted key, e.g. {@code db.pool.password} or {@code
 *       servers[0].api-key}) finds a match; its value is shown as {@value #REDACTED}.
 *   <li><b>Credentials inside URLs.</b> In every other string value shown, the user info of each
 *       URL ({@code scheme://user:password@host}) becomes {@value #REDACTED}, and so does the value
 *       of each query parameter whose name is secret by rule 1 ({@code ?password=...}, {@code
 *       &access_token=...}): {@code postgres://<redacted>@db.internal/app}.
 * </ol>
 *
 * <p>The default patterns ({@link #DEFAULT_PATTERNS}), with examples:
 *
 * <ul>
 *   <li>anywhere in the key: {@code password}, {@code passwd}, {@code passphrase}, {@code secret},
 *       {@code token}, {@code credential} ({@code db.password}, {@code auth.client-secret}, {@code
 *       tokens[0]}, {@code ssh.key-passphrase});
 *   <li>the key kinds that are always secret, in every spelling ({@code private-key}, {@code
 *       private_key}, {@code privateKey}, nested {@code private.key}): {@code private}, {@code
 *       api}, {@code access}, {@code signing}, {@code encryption}, {@code master}, {@code tls},
 *       {@code ssl} and {@code client} keys ({@code aws.access_key}, {@code aws.access-key-id},
 *       {@code stripe.apiKey}, {@code jwt.signing-key});
 *   <li>a segment named exactly {@code key} ({@code tls.key}, {@code ssh.key}, {@code
 *       vault[0].key}), but not {@code cache.key-prefix}, {@code keys} or {@code monkey};
 *   <li>{@code pass} or {@code pwd} as a whole segment or as its last word ({@code smtp.pass},
 *       {@code db-pwd}, {@code DB_PASS}, {@code dbPass}), but not {@code passport}, {@code bypass},
 *       {@code compass} or {@code pass-through}.
 * </ul>
 *
 * <p>What stays visible on purpose: a key named like {@code partition-key}, {@code routing-key},
 * {@code cache-key} or {@code primary-key} (identifiers, not secrets); {@code auth} and {@code
 * authorization} settings; {@code pin}. Add patterns for your own names with {@link
 * #defaultsPlus(String...)} ({@code Redactor.defaultsPlus("(^|\\.)pin$")}) and {@code
 * HotConfig.builder().redactor(...)}. The URL rule applies to every redactor, whatever its
 * patterns: user info in a URL is a credential by definition.
 *
 * <p>Immutable and thread-safe. Patterns are compiled when the redactor is built: a malformed one
 * throws {@link java.util.regex.PatternSyntaxException} there. No method accepts null except where
 * stated.
 */
public final class Redactor {
  /** The text shown instead of a secret value. */
  public static final String REDACTED = "<redacted>";

  /** The default patterns (see the class comment). */
  public static final List<String> DEFAULT_PATTERNS =
      // character classes of listed characters only: java.util.regex compiles ranges and escapes
      // such as \\. to lambdas, which heap walkers such as JOL cannot measure on JDK 17+, and
      // every snapshot holds its redactor (benchmarks' SnapshotSize)
      List.of(
          "password",
          "passwd",
          "passphrase",
          "secret",
          "token",
          "credential",
          "private[-_.]?key",
          "api[-_.]?key",
          "access[-_.]?key",
          "(?:signing|encryption|master)[-_.]?key",
          "(?:tls|ssl|client)[-_.]?key",
          // a segment named exactly "key" (followed by the end, a dot or a list index)
          "(?:^|[.])key(?:$|[.\\[])",
          // pass or pwd as a whole segment or its last word: db.pass, db-pwd, DB_PASS, dbPass
          "(?:^|[._-])(?:pass|pwd)(?:$|[.\\[])",
          "(?-i:[abcdefghijklmnopqrstuvwxyz0123456789](?:Pass|Pwd|PASS|PWD))(?:$|[.\\[])");

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
      sb.append("(?:").append(p).append(')');
      Pattern.compile(p); // a malformed pattern fails on its own, with its own message
    }
    this.pattern =
        sb.length() == 0 ? null : Pattern.compile(sb.toString(), Pattern.CASE_INSENSITIVE);
  }

  /** The default redactor (see {@link #DEFAULT_PATTERNS}). */
  public static Redactor defaults() {
    return DEFAULT;
  }

  /**
   * A redactor for the given regular expressions (matched case-insensitively anywhere in a key),
   * without the defaults. User info and secret query values in URLs are still hidden.
   *
   * @throws java.util.regex.PatternSyntaxException for a malformed pattern
   */
  public static Redactor of(List<String> patterns) {
    return new Redactor(patterns);
  }

  /**
   * The default patterns plus {@code extra}.
   *
   * @throws java.util.regex.PatternSyntaxException for a malformed pattern
   */
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

  /**
   * The value's text for display: {@link #REDACTED} when the key is secret, else the value with the
   * credentials of any URL in it hidden ({@link #redactUrls}); strings are quoted.
   */
  public String display(String key, Object value) {
    if (isSecret(key)) {
      return REDACTED;
    }
    if (value instanceof String s) {
      return "'" + redactUrls(s) + "'";
    }
    if (value instanceof ConfigScalar scalar) {
      return scalar.value() instanceof String s ? "'" + redactUrls(s) + "'" : scalar.text();
    }
    if (value instanceof ConfigObject) {
      return "an object";
    }
    if (value instanceof ConfigList) {
      return "a list";
    }
    return redactUrls(String.valueOf(value));
  }

  /**
   * {@code text} with the credentials of every URL in it hidden: the user info ({@code
   * scheme://USER:PASSWORD@host}, up to the last {@code @} of the authority) and the value of every
   * query parameter whose name {@link #isSecret is secret} become {@value #REDACTED}. A URL is
   * {@code scheme://} followed by everything up to the next white space; its authority ends at the
   * first {@code /}, {@code ?} or {@code #}, its query at a {@code #}, a character that URLs never
   * hold unencoded ({@code " < > \ ^ ` { | }}), or the closing quote of a URL in single quotes. A
   * password that holds an unencoded {@code /}, {@code ?} or {@code #} (not valid in a URL) is
   * still hidden when {@code user:} precedes it and an {@code @} follows. Null gives null.
   */
  public String redactUrls(String text) {
    if (text == null) {
      return null;
    }
    int sep = text.indexOf("://");
    if (sep < 0) {
      return text;
    }
    List<int[]> hidden = new ArrayList<>(); // [from, to) ranges, in order of their start
    for (; sep >= 0; sep = text.indexOf("://", sep + 3)) {
      int scheme = sep;
      while (scheme > 0 && isSchemeChar(text.charAt(scheme - 1))) {
        scheme--;
      }
      while (scheme < sep && !isAsciiLetter(text.charAt(scheme))) {
        scheme++;
      }
      if (scheme == sep) {
        continue; // no scheme: not a URL
      }
      int start = sep + 3;
      int end = start; // the end of the URL: white space or the end of the text
      while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      int authorityEnd = start;
      while (authorityEnd < end && "/?#".indexOf(text.charAt(authorityEnd)) < 0) {
        authorityEnd++;
      }
      int at = text.lastIndexOf('@', authorityEnd - 1);
      if (at < start && looksLikeUserAndPassword(text, start, authorityEnd)) {
        at = text.indexOf('@', authorityEnd);
        if (at >= end) {
          at = -1;
        } else if (at >= 0) {
          authorityEnd = at + 1;
        }
      }
      if (at >= start) {
        hidden.add(new int[] {start, at});
      }
      int queryEnd = end;
      if (scheme > 0 && text.charAt(scheme - 1) == '\'') {
        // a URL quoted in a message: its query ends at the closing quote
        int quote = text.indexOf('\'', authorityEnd);
        queryEnd = quote >= 0 && quote < end ? quote : end;
      }
      hideSecretQueryValues(text, authorityEnd, queryEnd, hidden);
    }
    if (hidden.isEmpty()) {
      return text;
    }
    hidden.sort((x, y) -> Integer.compare(x[0], y[0]));
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (int[] range : hidden) {
      if (range[1] <= copied) {
        continue; // inside a range already hidden
      }
      if (range[0] >= copied) {
        out.append(text, copied, range[0]).append(REDACTED);
      }
      copied = range[1];
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** Adds the values of secret query parameters of the URL part {@code [from, end)}. */
  private void hideSecretQueryValues(String text, int from, int end, List<int[]> hidden) {
    int q = text.indexOf('?', from);
    if (q < 0 || q >= end) {
      return;
    }
    int queryEnd = q + 1;
    while (queryEnd < end
        && text.charAt(queryEnd) != '#'
        && NOT_IN_URLS.indexOf(text.charAt(queryEnd)) < 0) {
      queryEnd++;
    }
    for (int param = q + 1; param < queryEnd; ) {
      int next = param;
      while (next < queryEnd && text.charAt(next) != '&' && text.charAt(next) != ';') {
        next++;
      }
      int eq = text.indexOf('=', param);
      if (eq >= 0 && eq + 1 < next && isSecret(text.substring(param, eq))) {
        hidden.add(new int[] {eq + 1, next});
      }
      param = next + 1;
    }
  }

  /**
   * An authority without {@code @} that reads {@code user:rest} where rest is not a port: the
   * password of a URL whose password holds an unencoded {@code /}, {@code ?} or {@code #}.
   */
  private static boolean looksLikeUserAndPassword(String text, int start, int authorityEnd) {
    if (start >= authorityEnd || text.charAt(start) == '[') {
      return false; // empty, or an IPv6 host
    }
    int colon = text.indexOf(':', start);
    if (colon < 0 || colon >= authorityEnd) {
      return false;
    }
    for (int i = colon + 1; i < authorityEnd; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return true;
      }
    }
    return colon + 1 == authorityEnd; // "user:" then a / ? or #
  }

  /**
   * Characters that cannot appear unencoded in a URL: a query ends at the first (a quote around a
   * URL in a message, or the {@code <} of {@link #REDACTED}, so that redacting twice changes
   * nothing).
   */
  private static final String NOT_IN_URLS = "\"<>\\^`{|}";

  private static boolean isSchemeChar(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
