package dev.hotconf.file;

import dev.hotconf.ConfigObject;
import dev.hotconf.bind.Bound;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.SourceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A file source's entry in settings ({@code type: file} in {@code sidecar.yaml}, {@code
 * hotconf.sources[N]} in the framework adapters), read in one place for {@link
 * FileSourceConfig#from} and {@link FileSourceProvider}: the binder checks the keys and their
 * types, {@link FileSourceConfig.Builder} checks the values, and every rejection becomes a problem
 * at the offending key.
 */
final class FileSourceSettings {
  private FileSourceSettings() {}

  /** The keys of an entry (kebab-case in files: {@code max-wait}). */
  record Entry(
      Optional<String> type,
      Optional<Path> path,
      Optional<Duration> debounce,
      Optional<Duration> maxWait,
      Optional<Duration> renameWindow,
      Optional<Duration> rescanInterval,
      Optional<String> format) {}

  /**
   * Reads an entry and makes something of its path and config; what {@code make} rejects with
   * {@link IllegalArgumentException} is a problem at {@code path}.
   *
   * @param needPath whether {@code path} is required (a source) or ignored ({@link
   *     FileSourceConfig#from}; {@code make} then gets null)
   * @throws dev.hotconf.ConfigException listing every problem
   */
  static <R> R read(
      ConfigObject settings,
      SourceContext context,
      boolean needPath,
      BiFunction<Path, FileSourceConfig, R> make) {
    Bound<Entry> bound = context.bind(settings, Entry.class);
    if (!bound.ok()) {
      bound.orThrow();
    }
    Entry e = bound.value();
    e.type()
        .filter(t -> !t.equals(FileSourceProvider.TYPE))
        .ifPresent(t -> bound.problem("type", "expected " + FileSourceProvider.TYPE));
    if (needPath && e.path().isEmpty()) {
      bound.problem("path", "is required: the file or folder to watch");
    }
    FileSourceConfig.Builder b = FileSourceConfig.builder();
    e.debounce().ifPresent(d -> bound.apply("debounce", () -> b.debounce(d)));
    e.maxWait().ifPresent(d -> bound.apply("maxWait", () -> b.maxWait(d)));
    e.renameWindow().ifPresent(d -> bound.apply("renameWindow", () -> b.renameWindow(d)));
    e.rescanInterval().ifPresent(d -> bound.apply("rescanInterval", () -> b.rescanInterval(d)));
    e.format().ifPresent(f -> bound.apply("format", () -> b.format(ConfigFormat.named(f))));
    R made = null;
    if (bound.ok()) {
      // the one cross-key rule (max-wait >= debounce) is about the later of the two
      FileSourceConfig config =
          bound.supply(e.maxWait().isPresent() ? "maxWait" : "debounce", b::build);
      if (config != null) {
        Path path = needPath ? e.path().orElseThrow() : null;
        made = bound.supply("path", () -> make.apply(path, config));
      }
    }
    bound.orThrow();
    return made;
  }
}
