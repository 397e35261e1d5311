package dev.hotconf.file;

import dev.hotconf.ConfigObject;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceContext;
import dev.hotconf.source.SourceProvider;
import java.nio.file.Files;

/**
 * The {@code file} source type for settings ({@code sidecar.yaml}, {@code hotconf.sources[N]}):
 *
 * <pre>{@code
 * - type: file
 *   path: config/app.yaml     # a file, or a folder of fragments (conf.d); relative to the settings file
 *   debounce: 200ms           # also: max-wait, rename-window, rescan-interval, format
 * }</pre>
 *
 * <p>The keys are those of {@link FileSourceConfig#from} plus {@code path}: a folder is watched as
 * a directory of fragments ({@link FileSource#directory}), anything else (a file, or nothing yet)
 * as one file ({@link FileSource#watching}). Registered for {@link java.util.ServiceLoader}.
 * Stateless and thread-safe.
 */
public final class FileSourceProvider implements SourceProvider {
  static final String TYPE = "file";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ConfigSource create(ConfigObject settings, SourceContext context) {
    return FileSourceSettings.read(
        settings,
        context,
        true,
        (path, config) ->
            Files.isDirectory(path)
                ? FileSource.directory(path, config)
                : FileSource.watching(path, config));
  }
}
