package dev.hotconf.sidecar.cli;

import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.rollout.DriverConfig;
import dev.hotconf.consul.rollout.RolloutDriver;
import dev.hotconf.consul.rollout.RolloutException;
import dev.hotconf.consul.rollout.RolloutRecord;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/*
 * Design: start and resume differ only in their first call (write the candidate and the record, or
 * take over the record); everything after it, from taking the lock to the exit code, is here. A
 * shutdown hook closes the driver on SIGINT/SIGTERM, which releases the lock at once (another
 * driver can take over immediately) and leaves the rollout where it is.
 */

/** Takes the lock, makes the first move, drives to the end and maps the outcome to an exit code. */
final class RolloutRun {

  /** The first move: {@code start} or {@code resume}. */
  interface FirstMove {
    RolloutDriver.Event apply(RolloutDriver driver) throws ConsulException, RolloutException;
  }

  private RolloutRun() {}

  static int drive(
      ConsulConnection connection,
      DriverConfig config,
      FirstMove first,
      PrintWriter out,
      PrintWriter err) {
    RolloutDriver driver = RolloutDriver.create(connection, config);
    Thread hook = new Thread(driver::close, "hotconf-rollout-stop");
    boolean hooked = false;
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      hooked = true;
    } catch (IllegalStateException e) {
      // already shutting down
    }
    try {
      driver.lock();
      print(out, first.apply(driver));
      RolloutDriver.Outcome o = driver.drive(e -> print(out, e));
      return exit(o, out, err, config.app());
    } catch (RolloutException e) {
      if (e.kind() == RolloutException.Kind.UNCHANGED) {
        line(out, "unchanged: " + e.getMessage() + "; nothing to roll out");
        out.flush();
        return ExitCode.OK.code();
      }
      throw failure(e);
    } catch (ConsulException e) {
      throw ConsulOptions.failure("rollout of " + config.app(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.INTERNAL, "hotconf: interrupted", e);
    } finally {
      driver.close();
      if (hooked) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down: the hook runs (close is idempotent)
        }
      }
    }
  }

  static void print(PrintWriter out, RolloutDriver.Event e) {
    line(out, e.time().truncatedTo(ChronoUnit.SECONDS) + " " + e.text());
    out.flush();
  }

  /**
   * Prints {@code text} with control characters escaped: reasons and instance problems come from
   * records other processes wrote.
   */
  private static void line(PrintWriter w, String text) {
    w.println(TerminalText.escapeLines(text));
  }

  private static int exit(RolloutDriver.Outcome o, PrintWriter out, PrintWriter err, String app) {
    switch (o.result()) {
      case PROMOTED:
        return ExitCode.OK.code();
      case HALTED:
        line(err, "hotconf: rollout halted: " + o.message());
        printFailures(err, o.record());
        line(
            err,
            "every instance runs the stable version again; hotconf rollout status --app "
                + app
                + " shows it; rollout resume tries the stage again, rollout abort drops the"
                + " candidate");
        err.flush();
        return ExitCode.INVALID.code();
      case ABORTED:
        line(err, "hotconf: " + o.message());
        err.flush();
        return ExitCode.INVALID.code();
      case CONFLICT:
        line(err, "hotconf: conflict: " + o.message() + "; the rollout is halted");
        err.flush();
        return ExitCode.CONFLICT.code();
      default:
        line(err, "hotconf: " + o.message());
        err.flush();
        return ExitCode.UNREACHABLE.code();
    }
  }

  static void printFailures(PrintWriter err, RolloutRecord r) {
    if (r == null || r.failures().isEmpty()) {
      return;
    }
    line(err, "failed instances (" + r.failures().size() + "):");
    for (RolloutRecord.Failure f : r.failures()) {
      line(
          err,
          "  "
              + f.instance()
              + " ("
              + f.state()
              + "): "
              + (f.reason().isEmpty() ? "(no reason given)" : f.reason()));
    }
  }

  /** The exit code and message for a refused rollout operation. */
  static CliException failure(RolloutException e) {
    ExitCode code =
        switch (e.kind()) {
          case LOCK_HELD, CONFLICT -> ExitCode.CONFLICT;
          case NO_STABLE_VERSION -> ExitCode.USAGE;
          case NO_ROLLOUT, NO_INSTANCES, UNCHANGED -> ExitCode.INVALID;
        };
    return new CliException(code, "hotconf: " + e.getMessage(), e);
  }

  static String now(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
