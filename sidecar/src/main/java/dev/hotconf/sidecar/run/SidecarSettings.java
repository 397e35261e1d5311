package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Inline;
import dev.hotconf.bind.Min;
import dev.hotconf.consul.fleet.FleetSettings;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.settings.Assembler;
import dev.hotconf.settings.Assembly;
import dev.hotconf.settings.HotConfigSettings;
import dev.hotconf.sidecar.internal.BoundedRead;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sidecar's configuration file ({@code hotconf run --config sidecar.yaml}): the settings every
 * front-end shares ({@link HotConfigSettings}: sources, schema, strict, last-known-good,
 * start-timeout) plus the sidecar's own sections. Read by config-core's binder like an
 * application's config: unknown keys and bad values are problems with their line:col, all reported
 * at once, and relative paths resolve against the file's folder.
 *
 * <p>Immutable and thread-safe.
 *
 * @param config the shared settings, at the top level of the file
 * @param server {@code server:} (default: loopback 8750, no token)
 * @param targets {@code targets:}, each new version is pushed to every one (default: none)
 * @param shutdownGrace {@code shutdown-grace:}, on SIGTERM the time to finish pushes in flight
 * @param fleet {@code fleet:}, acknowledge every version in Consul for {@code hotconf fleet status}
 *     (default: none)
 * @param history {@code history:}, the versions kept for {@code /v1/history} and pins (default: 20)
 */
public record SidecarSettings(
    @Inline HotConfigSettings config,
    @DefaultValue ServerSettings server,
    @DefaultValue List<TargetSettings> targets,
    @DefaultValue("10s") @Min("0s") Duration shutdownGrace,
    Optional<FleetSettings> fleet,
    @DefaultValue HistorySettings history) {

  public SidecarSettings {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(server, "server");
    targets = List.copyOf(targets);
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(history, "history");
  }

  /**
   * Reads and checks {@code file} and creates what it names (sources and schema validator, not
   * started), with sources and schema support found on the class path.
   *
   * @throws IOException when the file cannot be read
   * @throws dev.hotconf.ConfigException listing every problem (syntax, unknown keys, values, source
   *     settings, schema), each with its line:col
   */
  public static Assembly<SidecarSettings> load(Path file) throws IOException {
    return load(file, Assembler.defaults());
  }

  /** {@link #load(Path)} with a given assembler (providers, environment). */
  public static Assembly<SidecarSettings> load(Path file, Assembler assembler) throws IOException {
    byte[] bytes =
        BoundedRead.readDocument(
            file, ParseLimits.defaults().maxDocumentBytes(), "the document limit");
    ConfigObject root = ConfigFormat.YAML.parse(bytes, ConfigOrigin.ofFile("sidecar", file));
    return assembler.assemble(root, "", SidecarSettings.class);
  }
}
