package dev.hotconf.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.Sources;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes key lookup on a fixed snapshot ({@code ConfigSnapshot.node(key)}, the path of the
 * sidecar's {@code GET /config/<key>}): it returns, or throws IllegalArgumentException for a
 * malformed key; every flattened key is found.
 */
class SnapshotKeyFuzzTest {
  static final HotConfig CONFIG =
      HotConfig.builder()
          .startTimeout(Duration.ofSeconds(10))
          .source(
              Sources.text(
                  "fuzz",
                  ConfigFormat.YAML,
                  """
          db:
            url: jdbc:postgresql://db/app
            pool: {size: 10, timeout: 5s}
            password: hunter2
          servers:
            - host: a
              ports: [80, 443]
            - host: b
          weird key: 1
          "a b": {c: [[1, 2], [3]]}
          empty: {}
          nothing: null
          list: []
          """))
          .build();

  static final ConfigSnapshot SNAPSHOT = CONFIG.snapshot();

  @AfterAll
  static void close() {
    CONFIG.close();
  }

  @FuzzTest(maxDuration = "10m")
  void node(FuzzedDataProvider data) {
    String key = data.consumeRemainingAsString();
    Optional<ConfigNode> node;
    try {
      node = SNAPSHOT.node(key);
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
      return;
    }
    assertNotNull(node);
    assertEquals(node.isPresent(), SNAPSHOT.has(key));
    ConfigNode leaf = SNAPSHOT.values().get(key);
    if (leaf != null && !(leaf instanceof dev.hotconf.ConfigScalar s && s.isNull())) {
      assertTrue(node.isPresent(), () -> "flattened key '" + key + "' not found by node()");
    }
  }
}
