package dev.hotconf.sidecar.filetarget;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Tells a process to read its file again after a swap: a signal to the process named by a pid file
 * ({@code reload: {signal: HUP, pid-file: /run/nginx.pid}}), or a command ({@code reload: {command:
 * [systemctl, reload, nginx]}}). Java cannot signal another process, so the signal is sent by
 * running the {@code kill} program from an argv ({@code kill -s HUP <pid>}), found on {@code PATH}
 * when the target is created. Immutable and thread-safe.
 */
public final class Reloader {
  /** The signals a reload may send. */
  public static final Set<String> SIGNALS =
      Set.of("HUP", "USR1", "USR2", "INT", "QUIT", "TERM", "WINCH");

  /** How long {@code kill} may take. */
  static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private static final int MAX_PID_FILE_BYTES = 64;

  private final String signal;
  private final Path pidFile;
  private final Path kill;
  private final List<String> command;
  private final Duration timeout;

  private Reloader(String signal, Path pidFile, Path kill, List<String> command, Duration timeout) {
    this.signal = signal;
    this.pidFile = pidFile;
    this.kill = kill;
    this.command = command;
    this.timeout = timeout;
  }

  /**
   * A reload by signal.
   *
   * @param signal {@code HUP}, {@code SIGHUP}, {@code usr1}, ... (see {@link #SIGNALS})
   * @param kill the {@code kill} program ({@link #findKill})
   * @throws IllegalArgumentException for a signal not in {@link #SIGNALS}
   */
  public static Reloader signal(String signal, Path pidFile, Path kill) {
    return new Reloader(
        signalName(signal),
        Objects.requireNonNull(pidFile),
        Objects.requireNonNull(kill),
        null,
        KILL_TIMEOUT);
  }

  /** A reload by command ({@code {file}} in an argument is the live file's path). */
  public static Reloader command(List<String> argv, Duration timeout) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("the reload command is empty");
    }
    return new Reloader(null, null, null, List.copyOf(argv), Objects.requireNonNull(timeout));
  }

  /**
   * The signal's name without {@code SIG}, upper case.
   *
   * @throws IllegalArgumentException when it is not one of {@link #SIGNALS}
   */
  public static String signalName(String signal) {
    String s = signal.trim().toUpperCase(Locale.ROOT);
    if (s.startsWith("SIG")) {
      s = s.substring(3);
    }
    if (!SIGNALS.contains(s)) {
      throw new IllegalArgumentException(
          "expected one of " + String.join(", ", new java.util.TreeSet<>(SIGNALS)));
    }
    return s;
  }

  /** The {@code kill} program on {@code path} (a PATH value), if there is one. */
  public static Optional<Path> findKill(String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, "kill");
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether this reload sends a signal (else runs a command). */
  public boolean isSignal() {
    return signal != null;
  }

  /** "signal HUP to the pid in /run/nginx.pid" or "systemctl reload nginx", for messages. */
  public String describe() {
    return isSignal()
        ? "signal " + signal + " to the pid in " + pidFile
        : String.join(" ", command);
  }

  /**
   * Reloads.
   *
   * @param liveFile the target's file ({@code {file}} in the command, {@code HOTCONF_FILE})
   * @param env variables for the command (HOTCONF_*)
   * @param scrub hides secret values in the command's output
   * @throws NotRunning when a signal has no running process to go to
   * @throws ReloadException with a complete message when the reload failed
   */
  public void reload(
      CommandRunner runner, Path liveFile, Map<String, String> env, UnaryOperator<String> scrub)
      throws ReloadException, InterruptedException {
    Path dir = liveFile.getParent();
    if (isSignal()) {
      if (!Files.exists(pidFile)) {
        throw new NotRunning("no pid file " + pidFile);
      }
      long pid = readPid();
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw new NotRunning("no process " + pid + " (from " + pidFile + ")");
      }
      List<String> argv = List.of(kill.toString(), "-s", signal, Long.toString(pid));
      run(runner, argv, dir, KILL_TIMEOUT, env, scrub, "kill -s " + signal + " " + pid);
    } else {
      List<String> argv = new ArrayList<>(command.size());
      for (String a : command) {
        argv.add(a.replace("{file}", liveFile.toString()));
      }
      run(runner, argv, dir, timeout, env, scrub, String.join(" ", command));
    }
  }

  private static void run(
      CommandRunner runner,
      List<String> argv,
      Path dir,
      Duration timeout,
      Map<String, String> env,
      UnaryOperator<String> scrub,
      String what)
      throws ReloadException, InterruptedException {
    CommandRunner.Result r;
    try {
      r = runner.run(argv, dir, timeout, env);
    } catch (IOException e) {
      throw new ReloadException(what + ": cannot run: " + scrub.apply(e.getMessage()));
    }
    if (!r.ok()) {
      String out = scrub.apply(r.output().strip());
      throw new ReloadException(what + ": " + r.outcome() + (out.isEmpty() ? "" : ": " + out), r);
    }
  }

  private long readPid() throws ReloadException {
    byte[] bytes;
    try {
      bytes = FileApplier.readRegularFile(pidFile, MAX_PID_FILE_BYTES + 1);
    } catch (FileApplier.NotARegularFile e) {
      throw new ReloadException("pid file " + pidFile + " is not a regular file");
    } catch (IOException e) {
      throw new ReloadException(
          "cannot read pid file " + pidFile + ": " + e.getClass().getSimpleName());
    }
    String text = new String(bytes, StandardCharsets.US_ASCII).strip();
    long pid;
    try {
      pid = bytes.length > MAX_PID_FILE_BYTES ? -1 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      pid = -1;
    }
    // 0, 1 and negative pids would signal a process group, init or every process
    if (pid <= 1) {
      throw new ReloadException("pid file " + pidFile + " does not hold a process id above 1");
    }
    return pid;
  }

  /**
   * The process to signal is not running (no pid file, or no process with its pid): nothing runs on
   * an older file, and the process reads the new one when it starts.
   */
  public static final class NotRunning extends ReloadException {
    private static final long serialVersionUID = 1L;

    NotRunning(String message) {
      super(message);
    }
  }

  /** A failed reload; the message is complete and safe to show. */
  public static class ReloadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient CommandRunner.Result result;

    ReloadException(String message) {
      this(message, null);
    }

    ReloadException(String message, CommandRunner.Result result) {
      super(message);
      this.result = result;
    }

    /** The command's result, when one ran. */
    public Optional<CommandRunner.Result> result() {
      return Optional.ofNullable(result);
    }
  }
}
