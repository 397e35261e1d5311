package dev.hotconf.microprofile;

import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Inline;
import dev.hotconf.settings.HotConfigSettings;
import java.util.Objects;

/**
 * What a MicroProfile application's {@code hotconf.yaml} means: the settings every hotconf
 * front-end shares ({@link HotConfigSettings}: {@code sources}, {@code schema}, {@code strict},
 * {@code last-known-good}, {@code start-timeout}, {@code redact}, the keys of the sidecar's {@code
 * sidecar.yaml}), plus {@code ordinal}: the {@link
 * org.eclipse.microprofile.config.spi.ConfigSource#getOrdinal() ordinal} of hotconf's source,
 * {@value #DEFAULT_ORDINAL} by default, above system properties (400), environment variables (300)
 * and {@code microprofile-config.properties} (100), so the live value wins. Bound with hotconf's
 * strict binder. Immutable and thread-safe.
 *
 * @param settings the shared settings
 * @param ordinal the config source's ordinal
 */
public record MicroProfileSettings(
    @Inline HotConfigSettings settings, @DefaultValue("450") int ordinal) {
  /** The default ordinal: above system properties (400). */
  public static final int DEFAULT_ORDINAL = 450;

  public MicroProfileSettings {
    Objects.requireNonNull(settings, "settings");
  }
}
