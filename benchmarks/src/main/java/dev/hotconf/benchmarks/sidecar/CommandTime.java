package dev.hotconf.benchmarks.sidecar;

import dev.hotconf.benchmarks.Args;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Wall time and peak resident memory of a short command, e.g. {@code hotconf validate} of one small
 * file, run {@code runs} times after {@code warmup} uncounted runs (page cache warm). Each run is
 * {@code /usr/bin/time -f "%e %M %U %S" COMMAND...} (wall seconds, peak RSS KiB, user and system
 * CPU seconds, as {@code time -v} reports them) when {@code /usr/bin/time} exists; CPU time is the
 * figure to compare on a loaded machine, where wall time mostly measures the wait for a core; the
 * wall time reported is this program's own {@code System.nanoTime()} around start and exit of the
 * process (the same within ~1 ms, at a finer resolution than time's 10 ms). The command's output is
 * discarded; a non-zero exit fails the run.
 *
 * <p>Arguments ({@code name=value}): {@code command} (required: the command line, split at spaces),
 * {@code runs} (10), {@code warmup} (2).
 */
public final class CommandTime {
  private CommandTime() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args, Set.of("command", "runs", "warmup"));
    String command = a.string("command", "");
    if (command.isBlank()) {
      throw new IllegalArgumentException("command=... is required");
    }
    List<String> argv = List.of(command.trim().split(" +"));
    int runs = a.intValue("runs", 10);
    int warmup = a.intValue("warmup", 2);
    boolean time = Files.isExecutable(Path.of("/usr/bin/time"));
    double[] wall = new double[runs];
    long[] rss = new long[runs];
    double[] cpu = new double[runs];
    for (int i = -warmup; i < runs; i++) {
      List<String> full = new ArrayList<>();
      Path stats = Files.createTempFile("command-time", ".txt");
      if (time) {
        full.addAll(List.of("/usr/bin/time", "-o", stats.toString(), "-f", "%e %M %U %S"));
      }
      full.addAll(argv);
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(full)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in 60 s");
      }
      long t1 = System.nanoTime();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(command + " exited " + p.exitValue());
      }
      String[] st = Files.readString(stats, StandardCharsets.UTF_8).trim().split("\\s+");
      Files.delete(stats);
      if (i >= 0) {
        wall[i] = (t1 - t0) / 1e6;
        rss[i] = time && st.length == 4 ? Long.parseLong(st[1]) : -1;
        cpu[i] =
            time && st.length == 4
                ? (Double.parseDouble(st[2]) + Double.parseDouble(st[3])) * 1000
                : -1;
      }
    }
    double[] w = wall.clone();
    Arrays.sort(w);
    long[] r = rss.clone();
    Arrays.sort(r);
    double[] c = cpu.clone();
    Arrays.sort(c);
    System.out.printf(
        Locale.ROOT,
        "CommandTime %s: %d runs (+%d warm-up): wall median %.0f ms (min %.0f, max %.0f),"
            + " CPU (user + system) median %.0f ms, peak RSS median %.1f MiB%n",
        command,
        runs,
        warmup,
        w[runs / 2],
        w[0],
        w[runs - 1],
        c[runs / 2],
        r[runs / 2] / 1024.0);
    System.out.println("wall ms per run: " + Arrays.toString(wall));
  }
}
