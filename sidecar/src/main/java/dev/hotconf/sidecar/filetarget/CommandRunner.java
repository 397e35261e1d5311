package dev.hotconf.sidecar.filetarget;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/*
 * Design: ProcessBuilder with an argv, never a shell, so nothing in a value or a path is ever
 * interpreted. The environment is rebuilt from a short allow-list (the sidecar's own environment
 * may hold tokens a check command has no business seeing) plus HOTCONF_* variables. stdin is closed
 * at once; stdout and stderr are merged and read on a daemon thread that keeps the first
 * MAX_OUTPUT_BYTES and discards the rest, so a chatty or hostile command cannot fill memory. A
 * command that outlives its timeout is sent SIGTERM (its descendants too), then SIGKILL after
 * KILL_GRACE. After exit the reader gets a short bound to finish: a grandchild that keeps the pipe
 * open (a daemonising reload) must not hang the target.
 */

/**
 * Runs a file target's external commands ({@code check}, {@code reload: {command}}, the {@code
 * kill} that sends a reload signal) from an argv, with a documented environment, a timeout and
 * bounded output. Thread-safe; each {@link #run} starts one process and waits for it.
 */
public final class CommandRunner {
  /** Output kept per run (stdout and stderr merged); the rest is read and discarded. */
  public static final int MAX_OUTPUT_BYTES = 4096;

  /** Variables passed on from the sidecar's environment when set; no other is. */
  public static final List<String> PASSED_VARIABLES =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR");

  private static final Duration KILL_GRACE = Duration.ofSeconds(2);
  private static final Duration READER_GRACE = Duration.ofSeconds(2);

  private final Map<String, String> base;

  /** A runner whose commands get {@link #PASSED_VARIABLES} from {@code sidecarEnvironment}. */
  public CommandRunner(Map<String, String> sidecarEnvironment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : PASSED_VARIABLES) {
      String v = sidecarEnvironment.get(name);
      if (v != null) {
        env.put(name, v);
      }
    }
    this.base = Map.copyOf(env);
  }

  /** A runner passing on this process's {@link #PASSED_VARIABLES}. */
  public static CommandRunner fromSystemEnvironment() {
    return new CommandRunner(System.getenv());
  }

  /** What one run did. {@code output} is at most {@link #MAX_OUTPUT_BYTES}, decoded as UTF-8. */
  public record Result(
      int exitCode, boolean timedOut, String output, boolean truncated, Duration took) {
    /** Whether the command exited 0 within its timeout. */
    public boolean ok() {
      return !timedOut && exitCode == 0;
    }

    /** "exit 1" or "timed out after 30s", for messages. */
    public String outcome() {
      return timedOut ? "timed out after " + took.toSeconds() + "s" : "exit " + exitCode;
    }
  }

  /**
   * Runs {@code argv} in {@code directory} and waits up to {@code timeout}.
   *
   * @param extra variables added to the environment (HOTCONF_FILE, ...)
   * @throws IOException when the program cannot be started (not found, not executable)
   */
  public Result run(List<String> argv, Path directory, Duration timeout, Map<String, String> extra)
      throws IOException, InterruptedException {
    Objects.requireNonNull(argv, "argv");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(argv));
    pb.directory(directory.toFile());
    pb.redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(base);
    env.putAll(extra);
    long start = System.nanoTime();
    Process process = pb.start();
    process.getOutputStream().close();
    BoundedReader reader = new BoundedReader(process.getInputStream());
    Thread t = new Thread(reader, "hotconf-command-output");
    t.setDaemon(true);
    t.start();
    boolean exited;
    try {
      exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      kill(process);
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (!exited) {
      kill(process);
    }
    t.join(READER_GRACE.toMillis());
    return new Result(
        exited ? process.exitValue() : -1, !exited, reader.text(), reader.truncated(), took);
  }

  private static void kill(Process process) throws InterruptedException {
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(KILL_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
      tree.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(KILL_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Keeps the first MAX_OUTPUT_BYTES of a stream, reads (and drops) the rest until EOF. */
  private static final class BoundedReader implements Runnable {
    private final InputStream in;
    private final byte[] kept = new byte[MAX_OUTPUT_BYTES];
    private int length;
    private boolean truncated;

    BoundedReader(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (this) {
            int keep = Math.min(n, kept.length - length);
            System.arraycopy(buf, 0, kept, length, keep);
            length += keep;
            truncated |= keep < n;
          }
        }
      } catch (IOException e) {
        // the process is gone; what was read is kept
      }
    }

    synchronized String text() {
      // a multi-byte character cut at the bound decodes as U+FFFD: harmless
      return new String(kept, 0, length, StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
      return truncated;
    }
  }
}
