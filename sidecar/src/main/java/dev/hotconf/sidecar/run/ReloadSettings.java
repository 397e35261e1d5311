package dev.hotconf.sidecar.run;

import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.Positive;
import dev.hotconf.sidecar.filetarget.Reloader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code reload:} of a file target: a signal to the process in a pid file ({@code signal: HUP,
 * pid-file: /run/nginx.pid}) or a command ({@code command: [systemctl, reload, nginx], timeout:
 * 30s}). Immutable and thread-safe.
 */
public record ReloadSettings(
    Optional<String> signal,
    Optional<Path> pidFile,
    Optional<List<String>> command,
    @Positive Optional<Duration> timeout)
    implements Checked {
  /** How long a reload command may take, unless {@code timeout} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public ReloadSettings {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(pidFile, "pidFile");
    command = command.map(List::copyOf);
    Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public void check(Checks checks) {
    if (signal.isPresent() == command.isPresent()) {
      checks.problem("reload needs either 'signal' (with 'pid-file') or 'command'");
      return;
    }
    if (signal.isPresent()) {
      try {
        Reloader.signalName(signal.get());
      } catch (IllegalArgumentException e) {
        checks.problem("signal", e.getMessage());
      }
      if (pidFile.isEmpty()) {
        checks.problem("a reload by signal needs 'pid-file'");
      }
      if (timeout.isPresent()) {
        checks.problem("timeout", "applies to a reload command only");
      }
    } else {
      if (pidFile.isPresent()) {
        checks.problem("pidFile", "applies to a reload by signal only");
      }
      TargetSettings.checkArgv(checks, "command", command.get());
    }
  }

  /** The reloader these settings describe; {@code kill} sends signals. */
  Reloader reloader(Path kill) {
    return signal.isPresent()
        ? Reloader.signal(signal.get(), pidFile.orElseThrow(), kill)
        : Reloader.command(command.orElseThrow(), timeout.orElse(DEFAULT_TIMEOUT));
  }
}
