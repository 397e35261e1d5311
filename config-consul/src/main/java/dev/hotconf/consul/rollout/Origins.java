package dev.hotconf.consul.rollout;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.Problem;
import java.util.List;

/**
 * Reads the Consul ModifyIndex of a key from config-consul's origins ({@code consul:<key>@<index>})
 * in a tree, a snapshot or problems. Stateless.
 */
final class Origins {
  private Origins() {}

  /** The highest index of {@code key} among the origins of {@code node}'s tree; 0 if none. */
  static long index(ConfigNode node, String key) {
    String prefix = "consul:" + key + "@";
    long[] max = {0};
    visit(node, prefix, max);
    return max[0];
  }

  private static void visit(ConfigNode node, String prefix, long[] max) {
    max[0] = Math.max(max[0], of(node.origin(), prefix));
    if (node instanceof ConfigObject o) {
      for (ConfigNode child : o.entries().values()) {
        visit(child, prefix, max);
      }
    } else if (node instanceof ConfigList l) {
      for (ConfigNode child : l.elements()) {
        visit(child, prefix, max);
      }
    }
  }

  /** Whether a value of {@code snapshot} comes from {@code key} at {@code index}. */
  static boolean contains(ConfigSnapshot snapshot, String key, long index) {
    String location = "consul:" + key + "@" + index;
    if (snapshot.root().origin().location().equals(location)) {
      return true;
    }
    for (ConfigNode leaf : snapshot.values().values()) {
      if (leaf.origin().location().equals(location)) {
        return true;
      }
    }
    return false;
  }

  /** The highest index of {@code key} among the problems' origins; 0 if none. */
  static long index(List<Problem> problems, String key) {
    String prefix = "consul:" + key + "@";
    long max = 0;
    for (Problem p : problems) {
      if (p.origin() != null) {
        max = Math.max(max, of(p.origin(), prefix));
      }
    }
    return max;
  }

  private static long of(ConfigOrigin origin, String prefix) {
    if (origin == null) {
      return 0;
    }
    String location = origin.location();
    if (location == null || !location.startsWith(prefix)) {
      return 0;
    }
    try {
      return Long.parseLong(location.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
