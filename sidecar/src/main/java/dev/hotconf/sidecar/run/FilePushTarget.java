package dev.hotconf.sidecar.run;

import dev.hotconf.Redactor;
import dev.hotconf.sidecar.filetarget.ApplyException;
import dev.hotconf.sidecar.filetarget.CommandRunner;
import dev.hotconf.sidecar.filetarget.FileApplier;
import dev.hotconf.sidecar.filetarget.TemplateWatcher;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file target: each version is rendered (a format or a template), checked, swapped in atomically
 * and durably (temp file in the same folder, fsync, rename over the target, fsync of the folder),
 * and the reading process reloaded, by a {@link FileApplier}. The target is never opened, read or
 * followed: whatever is there (a FIFO, a link to {@code /dev/zero}, a huge file) is replaced;
 * output equal to the last write (its hash) is skipped, and the first version after start is always
 * written. Failures are kept per step for status and metrics; render errors and checks that exit
 * non-zero are {@link DeliveryRefused} (not retried for the same input), the rest are retried. A
 * template is watched: a change of its content makes the newest version due again. Used by one push
 * worker thread at a time; the status getters may be called from any thread.
 */
final class FilePushTarget implements PushTarget {
  private static final Logger LOG = LoggerFactory.getLogger(FilePushTarget.class);

  /** The last failure of this target, for status. Immutable. */
  record Failure(ApplyException.Stage stage, String message, String output, Instant at) {}

  private final FileApplier applier;
  private final Clock clock;
  private final Map<ApplyException.Stage, AtomicLong> failures =
      new EnumMap<>(ApplyException.Stage.class);
  private volatile Failure lastFailure;
  private volatile String note;
  private TemplateWatcher watcher;

  FilePushTarget(FileApplier.Spec spec, CommandRunner runner, Redactor redactor, Clock clock) {
    this.applier = new FileApplier(spec, runner, redactor);
    this.clock = clock;
    for (ApplyException.Stage s : ApplyException.Stage.values()) {
      failures.put(s, new AtomicLong());
    }
  }

  /** A plain JSON file target (the sidecar's original file target). */
  FilePushTarget(java.nio.file.Path file) {
    this(
        FileApplier.Spec.json(file),
        CommandRunner.fromSystemEnvironment(),
        Redactor.defaults(),
        Clock.systemUTC());
  }

  @Override
  public String name() {
    return "file:" + applier.spec().file();
  }

  @Override
  public void deliver(Published p) throws Exception {
    try {
      // the served content and version: a pin is applied like any new version
      FileApplier.Applied applied = applier.apply(p.root(), p.version());
      if (applied.written()) {
        note = applied.note();
      }
      lastFailure = null;
    } catch (ApplyException e) {
      failures.get(e.stage()).incrementAndGet();
      lastFailure = new Failure(e.stage(), e.getMessage(), e.output(), clock.instant());
      String message = e.stage().label() + ": " + e.getMessage();
      if (!e.retryable()) {
        throw new DeliveryRefused(message, e);
      }
      throw new ApplyFailed(message);
    }
  }

  @Override
  public void watch(Runnable changed) throws IOException {
    if (applier.template().isPresent() && watcher == null) {
      watcher =
          new TemplateWatcher(
              applier.template().get(),
              () -> {
                // the folder's other events (this target's own temporary file, backups, other
                // files) leave the template as the last render read it: nothing to do
                if (applier.templateChanged()) {
                  LOG.debug("template {} changed: rendering again", applier.template().get());
                  changed.run();
                }
              });
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
  }

  FileApplier.Spec spec() {
    return applier.spec();
  }

  /** The last failure, or null after a success. */
  Failure lastFailure() {
    return lastFailure;
  }

  /** What the last successful apply noted (the process was not running), or null. */
  String note() {
    return note;
  }

  /** Failures of {@code stage} so far. */
  long failures(ApplyException.Stage stage) {
    return failures.get(stage).get();
  }

  /** A retryable failure; the message says the step and is safe to show. */
  static final class ApplyFailed extends Exception {
    private static final long serialVersionUID = 1L;

    ApplyFailed(String message) {
      super(message, null, false, false);
    }
  }
}
