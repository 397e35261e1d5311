package dev.hotconf.settings;

import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.validate.ShrinkGuard;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code guard:} in the shared settings: the {@link ShrinkGuard} that refuses a new version which
 * removes too much of the live configuration.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code max-removed-keys}</td><td>no limit</td><td>the largest share of the live leaf
 *       keys a new version may remove, as a percentage ({@code 30%})</td></tr>
 *   <tr><td>{@code refuse-empty}</td><td>{@code true}</td><td>refuse an empty version while the
 *       live one is not</td></tr>
 *   <tr><td>{@code allow-key}</td><td>none</td><td>a marker key: a version whose value there
 *       differs from the live one's passes the guard (change it together with an intended large
 *       change)</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 */
public record GuardSettings(
    Optional<String> maxRemovedKeys,
    @DefaultValue("true") boolean refuseEmpty,
    Optional<String> allowKey)
    implements Checked {

  public GuardSettings {
    Objects.requireNonNull(maxRemovedKeys, "maxRemovedKeys");
    Objects.requireNonNull(allowKey, "allowKey");
  }

  @Override
  public void check(Checks checks) {
    boolean shareOk = true;
    if (maxRemovedKeys.isPresent()) {
      try {
        ShrinkGuard.parsePercent(maxRemovedKeys.get());
      } catch (IllegalArgumentException e) {
        checks.problem("maxRemovedKeys", e.getMessage());
        shareOk = false;
      }
    }
    if (allowKey.isPresent()) {
      try {
        ShrinkGuard.builder().allowKey(allowKey.get());
      } catch (IllegalArgumentException e) {
        checks.problem("allowKey", "expected a dotted key like hotconf.allow-shrink");
      }
    }
    if (shareOk && !refuseEmpty && maxRemovedKeys.isEmpty()) {
      checks.problem(
          "a guard with refuse-empty: false needs max-removed-keys (else it refuses nothing)");
    }
  }

  /** The guard these settings describe (a new one on every call: each holds its own override). */
  public ShrinkGuard toGuard() {
    ShrinkGuard.Builder b = ShrinkGuard.builder().refuseEmpty(refuseEmpty);
    maxRemovedKeys.ifPresent(s -> b.maxRemovedShare(ShrinkGuard.parsePercent(s)));
    allowKey.ifPresent(b::allowKey);
    return b.build();
  }
}
