package dev.hotconf.benchmarks.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} or {@code --name=value} arguments with defaults; unknown names are rejected. */
final class Flags {
  private final Map<String, String> values = new HashMap<>();

  Flags(String[] args, Set<String> known) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      String name;
      String value;
      if (a.startsWith("--") && eq > 2) {
        name = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else if (a.startsWith("--") && i + 1 < args.length) {
        name = a.substring(2);
        value = args[++i];
      } else {
        throw new IllegalArgumentException("expected --name value but got '" + a + "'; known: " + known);
      }
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; known: " + known);
      }
      values.put(name, value);
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
