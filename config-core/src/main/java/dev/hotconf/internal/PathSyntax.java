package dev.hotconf.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Dotted-path syntax shared by lookups and string-keyed formats: {@code db.pool.size}, {@code
 * servers[0].host}. A parsed path is an array of {@code String} (object key) and {@code Integer}
 * (list index) segments.
 */
public final class PathSyntax {
  private PathSyntax() {}

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException with a message fit for users when the path is malformed
   */
  public static Object[] parse(String path) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("empty key");
    }
    List<Object> segments = new ArrayList<>();
    int i = 0;
    int n = path.length();
    while (i < n) {
      int start = i;
      while (i < n && path.charAt(i) != '.' && path.charAt(i) != '[') {
        if (path.charAt(i) == ']') {
          throw new IllegalArgumentException("unexpected ']' in key '" + path + "'");
        }
        i++;
      }
      if (i == start) {
        // a name must come first and after every '.': "[0]" and "a.[0]" are malformed
        throw new IllegalArgumentException("empty segment in key '" + path + "'");
      }
      segments.add(path.substring(start, i));
      while (i < n && path.charAt(i) == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '[' in key '" + path + "'");
        }
        segments.add(parseIndex(path, path.substring(i + 1, close)));
        i = close + 1;
      }
      if (i < n) {
        if (path.charAt(i) != '.') {
          throw new IllegalArgumentException("expected '.' or '[' after ']' in key '" + path + "'");
        }
        i++;
        if (i == n) {
          throw new IllegalArgumentException("key '" + path + "' ends with '.'");
        }
      }
    }
    return segments.toArray();
  }

  private static Integer parseIndex(String path, String digits) {
    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("bad list index [" + digits + "] in key '" + path + "'");
    }
    return Integer.valueOf(digits);
  }

  /** Appends one segment to a rendered path. */
  public static String child(String parent, Object segment) {
    if (segment instanceof Integer) {
      return parent + "[" + segment + "]";
    }
    return parent.isEmpty() ? (String) segment : parent + "." + segment;
  }

  /** Whether {@code key} is {@code prefix} itself or lies below it. An empty prefix matches all. */
  public static boolean isUnder(String key, String prefix) {
    if (prefix.isEmpty()) {
      return true;
    }
    if (!key.startsWith(prefix)) {
      return false;
    }
    if (key.length() == prefix.length()) {
      return true;
    }
    char c = key.charAt(prefix.length());
    return c == '.' || c == '[';
  }
}
