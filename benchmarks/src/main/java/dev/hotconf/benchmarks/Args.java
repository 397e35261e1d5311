package dev.hotconf.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code name=value} command-line arguments with defaults; unknown names are rejected. */
public final class Args {
  private final Map<String, String> values = new HashMap<>();

  public Args(String[] args, Set<String> known) {
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

  public int intValue(String name, int def) {
    String v = values.get(name);
    return v == null ? def : Integer.parseInt(v);
  }

  public long longValue(String name, long def) {
    String v = values.get(name);
    return v == null ? def : Long.parseLong(v);
  }

  public String string(String name, String def) {
    return values.getOrDefault(name, def);
  }

  /**
   * slf4j-simple at WARN (the sidecar logs every published version at INFO) and TCP_NODELAY on the
   * JDK HTTP server used as receiver (otherwise Nagle + delayed ACK can add ~40 ms to an exchange on
   * Linux loopback). Both only when not given with {@code -D}.
   */
  public static void quiet() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }
}
