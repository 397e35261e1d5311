package dev.hotconf.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code name=value} command-line arguments with defaults; unknown names are rejected. */
public final class Args {
  private final Map<String, String> values = new HashMap<>();

  public Args(String[] args, Set<String> known) {
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "expected name=value but got '" + a + "'; known: " + known);
      }
      String name = a.substring(0, eq);
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown argument '" + name + "'; known: " + known);
      }
      values.put(name, a.substring(eq + 1));
    }
  }

  /**
   * Splits {@code --name value} and {@code --name=value} options, in order (the form of the file
   * and memory programs); anything else is rejected.
   */
  public static List<Map.Entry<String, String>> options(String... args) {
    List<Map.Entry<String, String>> options = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 2) {
        options.add(Map.entry(a.substring(2, eq), a.substring(eq + 1)));
      } else if (a.startsWith("--") && a.length() > 2 && i + 1 < args.length) {
        options.add(Map.entry(a.substring(2), args[++i]));
      } else {
        throw new IllegalArgumentException("expected --name value but got '" + a + "'");
      }
    }
    return options;
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
   * JDK HTTP server used as receiver (otherwise Nagle + delayed ACK can add ~40 ms to an exchange
   * on Linux loopback). Both only when not given with {@code -D}.
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
