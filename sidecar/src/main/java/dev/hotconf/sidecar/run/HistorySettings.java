package dev.hotconf.sidecar.run;

import dev.hotconf.DataSize;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Max;
import dev.hotconf.bind.Min;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code history:} in {@code sidecar.yaml}: how many valid versions the sidecar keeps for {@code
 * GET /v1/history} and {@code POST /v1/pin}, and where a pin is kept across restarts.
 *
 * <p>Immutable and thread-safe.
 *
 * @param size most versions kept (0 to 1000; 0 keeps none, and nothing can be pinned)
 * @param maxBytes most bytes of content kept (the newest version is always kept)
 * @param pinFile where a pin survives a restart (default: the last-known-good file's path plus
 *     {@code .pin}; without either, a pin lasts until the process ends)
 */
public record HistorySettings(
    @DefaultValue("20") @Min("0") @Max("1000") int size,
    @DefaultValue("16MB") DataSize maxBytes,
    Optional<Path> pinFile) {

  public HistorySettings {
    Objects.requireNonNull(maxBytes, "maxBytes");
    Objects.requireNonNull(pinFile, "pinFile");
  }

  /** The pin file: {@link #pinFile()}, else beside {@code lastKnownGood}. */
  Optional<Path> pinFileOr(Optional<Path> lastKnownGood) {
    return pinFile.or(() -> lastKnownGood.map(l -> l.resolveSibling(l.getFileName() + ".pin")));
  }
}
