package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigSnapshot;
import java.nio.charset.StandardCharsets;

/** A published snapshot with its JSON body and ETag, rendered once per version. Immutable. */
record Published(ConfigSnapshot snapshot, byte[] json, String etag) {

  static Published of(ConfigSnapshot snapshot) {
    return new Published(
        snapshot,
        snapshot.toJson().getBytes(StandardCharsets.UTF_8),
        "\"" + snapshot.hash() + "\"");
  }

  long version() {
    return snapshot.version();
  }
}
