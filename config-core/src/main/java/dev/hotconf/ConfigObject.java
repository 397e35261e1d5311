package dev.hotconf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A mapping from keys to nodes, in the order they were written. Keys never contain {@code .},
 * {@code [} or {@code ]}: a dotted key in a document is a path and becomes nested objects.
 *
 * <p>Immutable and thread-safe; no null keys or values (a YAML {@code null} is a {@link
 * ConfigScalar} holding null).
 */
public final class ConfigObject implements ConfigNode {
  private final Map<String, ConfigNode> entries;
  private final ConfigOrigin origin;
  private final int leafCount;

  private ConfigObject(Map<String, ConfigNode> entries, ConfigOrigin origin, int leafCount) {
    this.entries = entries;
    this.origin = Objects.requireNonNull(origin, "origin");
    this.leafCount = leafCount;
  }

  /**
   * An object over a copy of {@code entries} (insertion order kept).
   *
   * @throws IllegalArgumentException if a key is empty or contains {@code .}, {@code [} or {@code
   *     ]}
   */
  public static ConfigObject of(Map<String, ? extends ConfigNode> entries, ConfigOrigin origin) {
    LinkedHashMap<String, ConfigNode> copy = new LinkedHashMap<>(Math.max(4, entries.size() * 2));
    long leaves = 0;
    for (Map.Entry<String, ? extends ConfigNode> e : entries.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), "key");
      checkKey(key);
      ConfigNode value = Objects.requireNonNull(e.getValue(), () -> "value of " + key);
      copy.put(key, value);
      leaves += value.leafCount();
    }
    int leafCount = copy.isEmpty() ? 1 : (int) Math.min(Integer.MAX_VALUE, leaves);
    return new ConfigObject(Collections.unmodifiableMap(copy), origin, leafCount);
  }

  /** An empty object. */
  public static ConfigObject empty(ConfigOrigin origin) {
    return new ConfigObject(Map.of(), origin, 1);
  }

  static void checkKey(String key) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a key must not be empty");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '[' || c == ']') {
        throw new IllegalArgumentException(
            "key '" + key + "' contains '" + c + "', which is reserved for paths");
      }
    }
  }

  /** The entries, unmodifiable, in written order. */
  public Map<String, ConfigNode> entries() {
    return entries;
  }

  /** The node under {@code key} (a single key, not a path), or null. */
  public ConfigNode get(String key) {
    return entries.get(key);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  @Override
  public ConfigOrigin origin() {
    return origin;
  }

  @Override
  public ConfigObject withOrigin(ConfigOrigin newOrigin) {
    return new ConfigObject(entries, newOrigin, leafCount);
  }

  @Override
  public int leafCount() {
    return leafCount;
  }

  @Override
  public Map<String, Object> unwrapped() {
    Map<String, Object> out = new LinkedHashMap<>();
    entries.forEach((k, v) -> out.put(k, v.unwrapped()));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigObject other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "ConfigObject" + entries.keySet();
  }
}
