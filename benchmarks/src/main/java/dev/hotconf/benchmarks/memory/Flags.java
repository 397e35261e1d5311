package dev.hotconf.benchmarks.memory;

import dev.hotconf.benchmarks.Args;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} or {@code --name=value} arguments with defaults; unknown names are rejected.
 */
final class Flags {
  private final Map<String, String> values = new HashMap<>();

  Flags(String[] args, Set<String> known) {
    for (Map.Entry<String, String> option : Args.options(args)) {
      if (!known.contains(option.getKey())) {
        throw new IllegalArgumentException(
            "unknown option --" + option.getKey() + "; known: " + known);
      }
      values.put(option.getKey(), option.getValue());
    }
  }

  int intValue(String name, int def) {
    String v = values.get(name);
    return v == null ? def : Integer.parseInt(v);
  }

  long longValue(String name, long def) {
    String v = values.get(name);
    return v == null ? def : Long.parseLong(v);
  }

  boolean bool(String name, boolean def) {
    String v = values.get(name);
    return v == null ? def : Boolean.parseBoolean(v);
  }
}
