package dev.hotconf.settings;

import dev.hotconf.ConfigObject;
import dev.hotconf.Redactor;
import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Positive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings every hotconf front-end shares: the sidecar's {@code sidecar.yaml} and the framework
 * adapters' {@code hotconf.*} properties are read by this one record, bound by {@link
 * dev.hotconf.bind.Binder#strict()} and turned into a {@code HotConfig} by one {@link Assembler}.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code sources}</td><td>required</td><td>the sources, in precedence order (later
 *       entries override earlier ones); each an object whose {@code type} names its {@link
 *       dev.hotconf.source.SourceProvider} ({@code file}, {@code consul}), which owns the entry's
 *       other keys</td></tr>
 *   <tr><td>{@code schema}</td><td>none</td><td>a schema file the merged configuration must
 *       satisfy, loaded by a {@link dev.hotconf.validate.SchemaProvider} (config-schema: JSON
 *       Schema)</td></tr>
 *   <tr><td>{@code strict}</td><td>{@code false}</td><td>also reject keys the schema does not
 *       declare</td></tr>
 *   <tr><td>{@code last-known-good}</td><td>none</td><td>the last-known-good file</td></tr>
 *   <tr><td>{@code start-timeout}</td><td>{@code 30s}</td><td>how long to wait for the first valid
 *       configuration; positive</td></tr>
 *   <tr><td>{@code guard}</td><td>none</td><td>the shrink guard ({@link GuardSettings}): refuse a
 *       version that removes too many of the live keys, or is empty</td></tr>
 *   <tr><td>{@code redact}</td><td>none</td><td>more keys whose values are secret, on top of
 *       {@link Redactor#DEFAULT_PATTERNS}: regular expressions, matched case-insensitively anywhere
 *       in the dotted key ({@code "(^|\\.)pin$"}); a malformed one is a problem at its
 *       line:col</td></tr>
 * </table>
 *
 * <p>Relative paths resolve against the folder of the file they were written in, when their origin
 * names one. A front-end with keys of its own binds a record of its own that {@link
 * dev.hotconf.bind.Inline inlines} this one.
 *
 * <p>Immutable and thread-safe.
 */
public record HotConfigSettings(
    @DefaultValue List<ConfigObject> sources,
    Optional<Path> schema,
    @DefaultValue("false") boolean strict,
    Optional<Path> lastKnownGood,
    @DefaultValue("30s") @Positive Duration startTimeout,
    @DefaultValue List<Pattern> redact,
    Optional<GuardSettings> guard)
    implements Checked {

  public HotConfigSettings {
    sources = List.copyOf(sources);
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(lastKnownGood, "lastKnownGood");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(guard, "guard");
    redact = List.copyOf(redact);
  }

  /** What messages, diffs, status and logs hide: the default patterns plus {@code redact}. */
  public Redactor redactor() {
    return redact.isEmpty()
        ? Redactor.defaults()
        : Redactor.defaultsPlus(redact.stream().map(Pattern::pattern).toArray(String[]::new));
  }

  @Override
  public void check(Checks checks) {
    if (sources.isEmpty()) {
      checks.problem("sources", "is required: list at least one source");
    }
  }
}
