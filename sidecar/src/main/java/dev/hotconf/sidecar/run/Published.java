package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigPath;
import dev.hotconf.ConfigSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the sidecar serves and pushes, rendered once: the JSON body, the ETag (the content hash) and
 * its version. Normally a published snapshot, served under its own version; while an operator pins
 * an older version ({@code POST /v1/pin}), that version's content, served under the next version
 * number (versions served never go back, so long polls and push targets take it like any new
 * version; {@link #configVersion()} is the configuration version the content had).
 *
 * <p>Immutable.
 *
 * @param version the version served ({@code X-Config-Version}): grows by at least one each time
 * @param configVersion the version of the configuration the content is
 * @param root the content, for {@code /v1/config/<key>}
 * @param json the content as JSON (the body of {@code /v1/config} and of every push)
 * @param etag the quoted content hash
 * @param pinned whether this is a pinned version
 */
record Published(
    long version, long configVersion, ConfigObject root, byte[] json, String etag, boolean pinned) {

  /** A published snapshot, served under its own version. */
  static Published of(ConfigSnapshot snapshot) {
    return of(snapshot, snapshot.version());
  }

  /** A published snapshot, served under {@code version}. */
  static Published of(ConfigSnapshot snapshot, long version) {
    return new Published(
        version,
        snapshot.version(),
        snapshot.root(),
        snapshot.toJson().getBytes(StandardCharsets.UTF_8),
        "\"" + snapshot.hash() + "\"",
        false);
  }

  /** A pinned version from the history, served under {@code version}. */
  static Published pinned(History.Entry entry, ConfigObject root, long version) {
    return new Published(
        version, entry.version(), root, entry.json(), "\"" + entry.hash() + "\"", true);
  }

  /** The value at a dotted key (the caller has checked its syntax). */
  Optional<ConfigNode> node(String key) {
    return Optional.ofNullable(ConfigPath.parse(key).find(root));
  }
}
