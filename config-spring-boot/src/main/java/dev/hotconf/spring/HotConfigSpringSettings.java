package dev.hotconf.spring;

import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Inline;
import dev.hotconf.settings.HotConfigSettings;
import java.util.Objects;

/**
 * What {@code hotconf.*} in a Spring Boot application's configuration means: the settings every
 * hotconf front-end shares ({@link HotConfigSettings}: {@code sources}, {@code schema}, {@code
 * strict}, {@code last-known-good}, {@code start-timeout}, {@code redact}, the same keys as the
 * sidecar's {@code sidecar.yaml}), plus the keys only Spring has. Bound with hotconf's strict
 * binder, so an unknown key or a bad value fails the start with its {@code
 * application.yaml:line:col}.
 *
 * <table>
 *   <caption>Spring-only keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code hotconf.enabled}</td><td>{@code true}</td><td>{@code false}: hotconf does
 *       nothing (no property source, no beans)</td></tr>
 *   <tr><td>{@code hotconf.precedence}</td><td>{@code first}</td><td>where the live property
 *       source goes: {@code first} (hotconf's values win over everything), {@code
 *       before-config-files} (below command-line arguments, system properties and environment
 *       variables, above {@code application.yaml}), {@code last} (hotconf only fills keys nothing
 *       else sets)</td></tr>
 *   <tr><td>{@code hotconf.health.degraded-status}</td><td>{@code UP}</td><td>the health status
 *       while the latest version is rejected or a source fails, e.g. {@code OUT_OF_SERVICE} or
 *       {@code DOWN}; the details say why in every case</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 *
 * @param settings the shared settings
 * @param enabled whether hotconf runs
 * @param precedence where the live property source goes in the environment
 * @param health the health contributor's settings
 */
public record HotConfigSpringSettings(
    @Inline HotConfigSettings settings,
    @DefaultValue("true") boolean enabled,
    @DefaultValue("first") Precedence precedence,
    @DefaultValue Health health) {

  public HotConfigSpringSettings {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(precedence, "precedence");
    Objects.requireNonNull(health, "health");
  }

  /** Where the live property source goes among the environment's property sources. */
  public enum Precedence {
    /** Before every other property source: the live value wins. */
    FIRST,
    /**
     * After command-line arguments, system properties and environment variables (which can still
     * override a key at deployment), before the application's config files.
     */
    BEFORE_CONFIG_FILES,
    /** After every other property source: hotconf only supplies keys nothing else sets. */
    LAST
  }

  /**
   * The {@code hotconf} health contributor's settings.
   *
   * @param degradedStatus the status code reported while the latest version is rejected or a source
   *     fails or is missing ({@code UP} by default: the application still runs on its last good
   *     configuration)
   */
  public record Health(@DefaultValue("UP") String degradedStatus) implements Checked {
    public Health {
      Objects.requireNonNull(degradedStatus, "degradedStatus");
    }

    @Override
    public void check(Checks checks) {
      if (degradedStatus.isBlank()) {
        checks.problem("degradedStatus", "must not be blank (a status code such as UP or DOWN)");
      }
    }
  }
}
