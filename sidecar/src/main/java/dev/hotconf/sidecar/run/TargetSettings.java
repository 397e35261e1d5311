package dev.hotconf.sidecar.run;

import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Positive;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code targets:} in {@code sidecar.yaml}: a URL that gets each new version POSTed
 * ({@code url}, {@code timeout}, {@code max-backoff}, {@code redact-path}), or a file it is written
 * to ({@code file}). With {@code redact-path}, the URL's path is shown as {@code /<redacted>}
 * wherever the target is named (webhook URLs carry their secret there). Immutable and thread-safe.
 */
public record TargetSettings(
    Optional<URI> url,
    Optional<Path> file,
    @Positive Optional<Duration> timeout,
    @Positive Optional<Duration> maxBackoff,
    @DefaultValue("false") boolean redactPath)
    implements Checked {
  /** How long one push may take, unless {@code timeout} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** The longest wait between retries, unless {@code max-backoff} says otherwise. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  /** A target without {@code redact-path}. */
  public TargetSettings(
      Optional<URI> url,
      Optional<Path> file,
      Optional<Duration> timeout,
      Optional<Duration> maxBackoff) {
    this(url, file, timeout, maxBackoff, false);
  }

  public TargetSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
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
    } else {
      for (String urlOnly : new String[] {"timeout", "maxBackoff", "redactPath"}) {
        if (checks.isSet(urlOnly)) {
          checks.problem(urlOnly, "applies to url targets only");
        }
      }
    }
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
