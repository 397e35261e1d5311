package dev.hotconf.sidecar.run;

import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Min;
import dev.hotconf.bind.Positive;
import dev.hotconf.sidecar.filetarget.FileApplier;
import dev.hotconf.sidecar.filetarget.FileFormat;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of {@code targets:} in {@code sidecar.yaml}: a URL that gets each new version POSTed
 * ({@code url}, {@code timeout}, {@code redact-path}), or a file it is written to ({@code file},
 * rendered as {@code format} or from a {@code template}, checked by {@code check} within {@code
 * check-timeout}, with {@code mode} and {@code backup}, then {@code reload}ed); either waits a
 * random {@code splay} before each version and retries up to {@code max-backoff} apart. With {@code
 * redact-path}, the URL's path is shown as {@code /<redacted>} wherever the target is named
 * (webhook URLs carry their secret there). Immutable and thread-safe.
 */
public record TargetSettings(
    Optional<URI> url,
    Optional<Path> file,
    @Positive Optional<Duration> timeout,
    @Positive Optional<Duration> maxBackoff,
    @DefaultValue("false") boolean redactPath,
    Optional<FileFormat> format,
    Optional<Path> template,
    Optional<List<String>> check,
    @Positive Optional<Duration> checkTimeout,
    Optional<String> mode,
    Optional<Path> backup,
    Optional<ReloadSettings> reload,
    @Min("0s") Optional<Duration> splay)
    implements Checked {
  /** How long one push may take, unless {@code timeout} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** The longest wait between retries, unless {@code max-backoff} says otherwise. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  /** How long a check command may take, unless {@code check-timeout} says otherwise. */
  public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(30);

  private static final List<String> FILE_ONLY =
      List.of("format", "template", "check", "checkTimeout", "mode", "backup", "reload");

  public TargetSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(template, "template");
    check = check.map(List::copyOf);
    Objects.requireNonNull(checkTimeout, "checkTimeout");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(backup, "backup");
    Objects.requireNonNull(reload, "reload");
    Objects.requireNonNull(splay, "splay");
  }

  /** A URL target with the default settings. */
  public static TargetSettings ofUrl(URI url) {
    return new TargetSettings(
        Optional.of(url),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A JSON file target with the default settings. */
  public static TargetSettings ofFile(Path file) {
    return new TargetSettings(
        Optional.empty(),
        Optional.of(file),
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Override
  public void check(Checks checks) {
    if (url.isEmpty() && file.isEmpty()) {
      checks.problem("a target needs 'url' or 'file'");
      return;
    }
    if (url.isPresent() && file.isPresent()) {
      checks.problem("file", "a target has 'url' or 'file', not both");
    }
    if (url.isPresent()) {
      URI u = url.get();
      // never echo the URL: it may carry credentials
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        checks.problem("url", "must be an http or https URL");
      }
      for (String fileOnly : FILE_ONLY) {
        if (checks.isSet(fileOnly)) {
          checks.problem(fileOnly, "applies to file targets only");
        }
      }
    } else {
      for (String urlOnly : new String[] {"timeout", "redactPath"}) {
        if (checks.isSet(urlOnly)) {
          checks.problem(urlOnly, "applies to url targets only");
        }
      }
      if (format.isPresent() && template.isPresent()) {
        checks.problem("template", "a file target has 'format' or 'template', not both");
      }
      check.ifPresent(argv -> checkArgv(checks, "check", argv));
      if (check.isEmpty() && checkTimeout.isPresent()) {
        checks.problem("checkTimeout", "applies with 'check' only");
      }
      if (mode.isPresent()) {
        try {
          parseMode(mode.get());
        } catch (IllegalArgumentException e) {
          checks.problem("mode", e.getMessage());
        }
      }
    }
  }

  /** A command is a non-empty list of non-empty arguments (an argv: no shell reads it). */
  static void checkArgv(Checks checks, String component, List<String> argv) {
    if (argv.isEmpty()) {
      checks.problem(component, "must list the program and its arguments (an argv, no shell)");
    } else if (argv.get(0).isBlank()) {
      checks.problem(component, "the program name is empty");
    }
  }

  /**
   * File permissions written as octal ({@code 0640}, {@code 640}) or symbolically ({@code
   * rw-r-----}); the owner must be able to read and write.
   *
   * @throws IllegalArgumentException naming the expected forms
   */
  public static Set<PosixFilePermission> parseMode(String text) {
    String t = text.trim();
    Set<PosixFilePermission> perms;
    if (t.matches("0?[0-7]{3}")) {
      int bits = Integer.parseInt(t, 8);
      perms = EnumSet.noneOf(PosixFilePermission.class);
      PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE,
        PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ
      };
      for (int i = 0; i < order.length; i++) {
        if ((bits & (1 << i)) != 0) {
          perms.add(order[i]);
        }
      }
    } else if (t.matches("[r-][w-][x-][r-][w-][x-][r-][w-][x-]")) {
      perms = PosixFilePermissions.fromString(t);
    } else {
      throw new IllegalArgumentException("expected permissions like 0640 or rw-r-----");
    }
    if (!perms.contains(PosixFilePermission.OWNER_READ)
        || !perms.contains(PosixFilePermission.OWNER_WRITE)) {
      throw new IllegalArgumentException("the owner (the sidecar) must be able to read and write");
    }
    return perms;
  }

  /** What the file target does (call on a file target); {@code kill} sends reload signals. */
  public FileApplier.Spec fileSpec(Path kill) {
    return new FileApplier.Spec(
        file.orElseThrow(),
        format.orElse(FileFormat.JSON),
        template.orElse(null),
        check.orElse(List.of()),
        checkTimeout.orElse(DEFAULT_CHECK_TIMEOUT),
        mode.map(TargetSettings::parseMode).orElse(FileApplier.OWNER_ONLY),
        backup.orElse(null),
        reload.map(r -> r.reloader(kill)).orElse(null));
  }

  /** Whether a reload sends a signal (and so needs the kill program). */
  public boolean reloadsBySignal() {
    return reload.flatMap(ReloadSettings::signal).isPresent();
  }

  /** The splay: zero unless {@code splay} says otherwise. */
  public Duration splayOrZero() {
    return splay.orElse(Duration.ZERO);
  }

  /** Whether this is a URL target (else a file target). */
  public boolean isUrl() {
    return url.isPresent();
  }

  public Duration timeoutOrDefault() {
    return timeout.orElse(DEFAULT_TIMEOUT);
  }

  public Duration maxBackoffOrDefault() {
    return maxBackoff.orElse(DEFAULT_MAX_BACKOFF);
  }
}
