package dev.hotconf;

import dev.hotconf.internal.PathSyntax;
import dev.hotconf.internal.TreeOps;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dotted key as a value: {@code db.pool.max}, {@code servers[0].host}. Segments are object keys
 * (non-empty, without {@code .}, {@code [} or {@code ]}) and list indexes. This is the syntax of
 * every key in hotconf: accessors, {@link ConfigSnapshot} reads, problems, {@code hotconf get}, the
 * sidecar's {@code /v1/config/<key>}.
 *
 * <pre>{@code
 * ConfigPath p = ConfigPath.parse("servers[0].host");
 * ConfigNode host = p.find(root);                        // null when absent
 * String key = ConfigPath.root().child("db").child("pool").toString();   // "db.pool"
 * }</pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
public final class ConfigPath {
  private static final ConfigPath ROOT = new ConfigPath(new Object[0], "");

  private final Object[] segments;
  private final String rendered;

  private ConfigPath(Object[] segments, String rendered) {
    this.segments = segments;
    this.rendered = rendered;
  }

  /**
   * Parses a key.
   *
   * @throws IllegalArgumentException when the key is empty or malformed (an empty segment, an
   *     unbalanced bracket, an index that is not 1 to 9 digits); the message quotes the key
   */
  public static ConfigPath parse(String key) {
    Objects.requireNonNull(key, "key");
    Object[] segments = PathSyntax.parse(key);
    String rendered = "";
    for (Object s : segments) {
      rendered = PathSyntax.child(rendered, s);
    }
    return new ConfigPath(segments, rendered);
  }

  /** The empty path: the root object itself. Renders as {@code ""}. */
  public static ConfigPath root() {
    return ROOT;
  }

  /**
   * This path followed by an object key.
   *
   * @throws IllegalArgumentException when {@code name} is empty or contains {@code .}, {@code [} or
   *     {@code ]}
   */
  public ConfigPath child(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a key segment must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.' || c == '[' || c == ']') {
        throw new IllegalArgumentException(
            "key segment '" + name + "' contains '" + c + "', which is reserved for paths");
      }
    }
    if (segments.length == 0) {
      return new ConfigPath(new Object[] {name}, name);
    }
    return new ConfigPath(append(name), PathSyntax.child(rendered, name));
  }

  /**
   * This path followed by a list index.
   *
   * @throws IllegalArgumentException when {@code index} is negative, or this is the root (a list
   *     index needs a key before it)
   */
  public ConfigPath child(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("a list index must be >= 0 but was " + index);
    }
    if (segments.length == 0) {
      throw new IllegalArgumentException("the root is an object: it has no list index");
    }
    return new ConfigPath(append(index), PathSyntax.child(rendered, index));
  }

  private Object[] append(Object segment) {
    Object[] out = Arrays.copyOf(segments, segments.length + 1);
    out[segments.length] = segment;
    return out;
  }

  /** The number of segments (0 for the root). */
  public int size() {
    return segments.length;
  }

  public boolean isRoot() {
    return segments.length == 0;
  }

  /** Segment {@code i}: a {@code String} (object key) or an {@code Integer} (list index). */
  public Object segment(int i) {
    return segments[i];
  }

  /**
   * The node at this path under {@code root}, or null when there is none. A null scalar is found
   * (it is a node); whether it counts as absent is the caller's rule.
   */
  public ConfigNode find(ConfigObject root) {
    Objects.requireNonNull(root, "root");
    return TreeOps.find(root, segments);
  }

  /** Whether this path is {@code prefix} or lies below it. Every path starts with the root. */
  public boolean startsWith(ConfigPath prefix) {
    if (prefix.segments.length > segments.length) {
      return false;
    }
    for (int i = 0; i < prefix.segments.length; i++) {
      if (!segments[i].equals(prefix.segments[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigPath other && Arrays.equals(segments, other.segments);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(segments);
  }

  /** The key: {@code db.pool.max}, {@code servers[0].host}; {@code ""} for the root. */
  @Override
  public String toString() {
    return rendered;
  }
}
