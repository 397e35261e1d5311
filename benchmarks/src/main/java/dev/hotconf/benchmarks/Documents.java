package dev.hotconf.benchmarks;

/** Generated documents of a given size, the same for every library measured. */
public final class Documents {
  private Documents() {}

  /** A YAML document with about {@code keys} leaf values, including the keys the benchmarks read. */
  public static String yaml(int keys) {
    StringBuilder sb = new StringBuilder();
    sb.append("db:\n  url: jdbc:postgresql://localhost:5432/app\n  pool:\n    min: 2\n    max: 20\n")
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
}
