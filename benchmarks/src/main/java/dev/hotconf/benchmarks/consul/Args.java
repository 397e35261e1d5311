package dev.hotconf.benchmarks.consul;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code name=value} command-line arguments with defaults; unknown names are rejected. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, Set<String> known) {
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected name=value but got '" + a + "'; known: " + known);
      }
      String name = a.substring(0, eq);
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown argument '" + name + "'; known: " + known);
      }
      values.put(name, a.substring(eq + 1));
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
}
