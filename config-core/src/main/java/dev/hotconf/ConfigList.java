package dev.hotconf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of nodes. In a merge, a list replaces the list below it as a whole.
 *
 * <p>Immutable and thread-safe; no null elements.
 */
public final class ConfigList implements ConfigNode {
  private final List<ConfigNode> elements;
  private final ConfigOrigin origin;
  private final int leafCount;

  private ConfigList(List<ConfigNode> elements, ConfigOrigin origin) {
    this.elements = elements;
    this.origin = Objects.requireNonNull(origin, "origin");
    long leaves = 0;
    for (ConfigNode n : elements) {
      leaves += n.leafCount();
    }
    this.leafCount = elements.isEmpty() ? 1 : (int) Math.min(Integer.MAX_VALUE, leaves);
  }

  public static ConfigList of(List<? extends ConfigNode> elements, ConfigOrigin origin) {
    for (ConfigNode n : elements) {
      Objects.requireNonNull(n, "element");
    }
    return new ConfigList(List.copyOf(elements), origin);
  }

  public List<ConfigNode> elements() {
    return elements;
  }

  public int size() {
    return elements.size();
  }

  public ConfigNode get(int index) {
    return elements.get(index);
  }

  @Override
  public ConfigOrigin origin() {
    return origin;
  }

  @Override
  public ConfigList withOrigin(ConfigOrigin newOrigin) {
    return new ConfigList(elements, newOrigin);
  }

  @Override
  public int leafCount() {
    return leafCount;
  }

  @Override
  public List<Object> unwrapped() {
    List<Object> out = new ArrayList<>(elements.size());
    elements.forEach(e -> out.add(e.unwrapped()));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigList other && elements.equals(other.elements);
  }

  @Override
  public int hashCode() {
    return elements.hashCode();
  }

  @Override
  public String toString() {
    return "ConfigList(" + elements.size() + ")";
  }
}
