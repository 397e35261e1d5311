package dev.hotconf.consul.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A label selector with Kubernetes' syntax and meaning, choosing which instances a staged rollout
 * applies to: comma-separated requirements that must all hold.
 *
 * <table>
 *   <caption>Requirements</caption>
 *   <tr><td>{@code zone=eu-1}, {@code zone==eu-1}</td><td>the label is present with that value</td></tr>
 *   <tr><td>{@code zone!=eu-1}</td><td>the label is absent or has another value</td></tr>
 *   <tr><td>{@code zone in (eu-1,eu-2)}</td><td>present with one of the values</td></tr>
 *   <tr><td>{@code zone notin (us-1)}</td><td>absent or none of the values</td></tr>
 *   <tr><td>{@code canary}</td><td>the label is present</td></tr>
 *   <tr><td>{@code !canary}</td><td>the label is absent</td></tr>
 * </table>
 *
 * <p>The empty selector selects every instance. Immutable and thread-safe; {@link #toString()}
 * gives the canonical text ({@link #parse} of it gives an equal selector).
 */
public final class LabelSelector {
  private static final Pattern KEY =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_./-]{0,61}[A-Za-z0-9])?");
  private static final Pattern VALUE =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?");
  private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private enum Op {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    NOT_EXISTS
  }

  private record Requirement(String key, Op op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case NOT_EXISTS -> v == null;
      };
    }

    @Override
    public String toString() {
      return switch (op) {
        case EQUALS -> key + "=" + values.iterator().next();
        case NOT_EQUALS -> key + "!=" + values.iterator().next();
        case IN -> key + " in (" + String.join(",", values) + ")";
        case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
        case EXISTS -> key;
        case NOT_EXISTS -> "!" + key;
      };
    }
  }

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /** The selector that selects every instance. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /**
   * Parses {@code text} (blank: {@link #everything()}).
   *
   * @throws IllegalArgumentException saying what is wrong and at which character (1-based)
   */
  public static LabelSelector parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      return EVERYTHING;
    }
    return new Parser(text).selector();
  }

  /** Whether an instance with {@code labels} is selected. */
  public boolean matches(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Whether this is the empty selector. */
  public boolean selectsEverything() {
    return requirements.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector other && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** The canonical text (empty for the empty selector). */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    requirements.forEach(r -> parts.add(r.toString()));
    return String.join(",", parts);
  }

  /** A small recursive-descent parser over the selector text. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    LabelSelector selector() {
      List<Requirement> out = new ArrayList<>();
      while (true) {
        out.add(requirement());
        space();
        if (i == s.length()) {
          return new LabelSelector(out);
        }
        expect(',');
      }
    }

    private Requirement requirement() {
      space();
      if (peek('!')) {
        i++;
        space();
        return new Requirement(key(), Op.NOT_EXISTS, Set.of());
      }
      String key = key();
      space();
      if (i == s.length() || peek(',')) {
        return new Requirement(key, Op.EXISTS, Set.of());
      }
      if (s.startsWith("!=", i)) {
        i += 2;
        return new Requirement(key, Op.NOT_EQUALS, Set.of(value()));
      }
      if (s.startsWith("==", i)) {
        i += 2;
        return new Requirement(key, Op.EQUALS, Set.of(value()));
      }
      if (peek('=')) {
        i++;
        return new Requirement(key, Op.EQUALS, Set.of(value()));
      }
      if (word("notin")) {
        return new Requirement(key, Op.NOT_IN, values());
      }
      if (word("in")) {
        return new Requirement(key, Op.IN, values());
      }
      throw error("expected =, ==, !=, in, notin, ',' or the end after label key '" + key + "'");
    }

    private boolean word(String w) {
      if (s.startsWith(w, i)) {
        int end = i + w.length();
        if (end < s.length() && (s.charAt(end) == ' ' || s.charAt(end) == '(')) {
          i = end;
          return true;
        }
      }
      return false;
    }

    private Set<String> values() {
      space();
      expect('(');
      Set<String> values = new TreeSet<>();
      while (true) {
        values.add(value());
        space();
        if (peek(')')) {
          i++;
          return values;
        }
        expect(',');
      }
    }

    private String key() {
      int start = i;
      while (i < s.length() && isWordChar(s.charAt(i), true)) {
        i++;
      }
      String k = s.substring(start, i);
      if (!KEY.matcher(k).matches()) {
        i = start;
        throw error(
            k.isEmpty()
                ? "expected a label key"
                : "'"
                    + k
                    + "' is not a label key (1 to 63 letters, digits, _ . / -, starting and ending"
                    + " with a letter or digit)");
      }
      return k;
    }

    private String value() {
      space();
      int start = i;
      while (i < s.length() && isWordChar(s.charAt(i), false)) {
        i++;
      }
      String v = s.substring(start, i);
      if (!VALUE.matcher(v).matches()) {
        i = start;
        throw error(
            "'"
                + v
                + "' is not a label value (at most 63 letters, digits, _ . -, starting and ending"
                + " with a letter or digit)");
      }
      return v;
    }

    private static boolean isWordChar(char c, boolean slash) {
      return (c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '.'
          || c == '-'
          || (slash && c == '/');
    }

    private void space() {
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
    }

    private boolean peek(char c) {
      return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) {
      space();
      if (!peek(c)) {
        throw error("expected '" + c + "'");
      }
      i++;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "label selector: " + what + " at character " + (i + 1) + " of '" + s + "'");
    }
  }
}
