package dev.hotconf.benchmarks;

/** Generated documents of a given size, the same for every library measured. */
public final class Documents {
  private Documents() {}

  /**
   * A YAML document with about {@code keys} leaf values, including the keys the benchmarks read.
   */
  public static String yaml(int keys) {
    StringBuilder sb = new StringBuilder();
    sb.append(
            "db:\n  url: jdbc:postgresql://localhost:5432/app\n  pool:\n    min: 2\n    max: 20\n")
        .append("    idle-timeout: 30s\n");
    int groups = Math.max(1, (keys - 4) / 10);
    for (int g = 0; g < groups; g++) {
      sb.append("group").append(g).append(":\n");
      for (int k = 0; k < 10; k++) {
        sb.append("  key").append(k).append(": ");
        switch (k % 3) {
          case 0 -> sb.append(g * 10 + k);
          case 1 -> sb.append("value-").append(g).append('-').append(k);
          default -> sb.append(k % 2 == 0);
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** Leaves in the fixed head of {@link #service}: server, db, db.pool and a three-element list. */
  static final int SERVICE_HEAD_KEYS = 10;

  /** Leaves per {@code services.svcN} block of {@link #service}. */
  static final int SERVICE_BLOCK_KEYS = 10;

  /**
   * A realistic nested YAML service configuration with {@code keys} leaves (rounded down to the ten
   * of the fixed head plus blocks of ten, never fewer than ten): ints, strings, durations,
   * booleans, doubles, lists and nested maps. Consecutive variants differ in a few values (the
   * server port, the pool size, the read timeout, and in odd variants the retries and timeout of
   * every fifth service), so alternating between 0 and 1, or counting up, publishes a new version
   * each time.
   */
  public static String service(int keys, int variant) {
    int v = Math.floorMod(variant, 1_000);
    StringBuilder sb = new StringBuilder(keys * 40);
    sb.append("server:\n  port: ")
        .append(8080 + v)
        .append("\n  host: app.internal.example.com\n")
        .append("  read-timeout: ")
        .append(30 + v % 60)
        .append("s\n")
        .append(
            "db:\n  url: jdbc:postgresql://db.internal:5432/app\n  pool:\n    min: 2\n    max: ")
        .append(20 + v % 50)
        .append("\n    idle-timeout: 10m\n")
        .append(
            "features:\n  allowed-origins:\n    - https://a.example.com\n    - https://b.example.com\n")
        .append("    - https://c.example.com\n");
    int blocks = Math.max(0, (keys - SERVICE_HEAD_KEYS) / SERVICE_BLOCK_KEYS);
    if (blocks > 0) {
      sb.append("services:\n");
    }
    for (int b = 0; b < blocks; b++) {
      boolean changes = (v & 1) == 1 && b % 5 == 0;
      sb.append("  svc")
          .append(b)
          .append(":\n")
          .append("    enabled: ")
          .append(b % 7 != 0)
          .append('\n')
          .append("    endpoint: https://svc-")
          .append(b)
          .append(".internal:8443/api/v2\n")
          .append("    timeout: ")
          .append(changes ? 500 : 250 + b % 4 * 50)
          .append("ms\n")
          .append("    retries: ")
          .append(changes ? 5 : 3)
          .append('\n')
          .append("    weight: ")
          .append(b % 10 / 10.0)
          .append('\n')
          .append("    tags: [team-")
          .append(b % 13)
          .append(", tier-")
          .append(b % 3)
          .append(", \"region-eu\"]\n")
          .append("    limits:\n      rps: ")
          .append(100 + b)
          .append("\n      burst: ")
          .append(20 + b % 5)
          .append('\n');
    }
    return sb.toString();
  }
}
