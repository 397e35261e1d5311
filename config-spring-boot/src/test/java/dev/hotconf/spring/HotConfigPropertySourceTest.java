package dev.hotconf.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/** The live property source on its own: text values, list keys, origins, names and liveness. */
class HotConfigPropertySourceTest {

  @Test
  void answersFromTheLiveSnapshotAsSpringReadsIt() {
    MemorySource source =
        Sources.text(
            "app.yaml",
            ConfigFormat.YAML,
            "db:\n  pool:\n    max: 10\n  zip: 01234\n  gone: ~\n  empty: {}\nhosts: [a, b]\n");
    try (HotConfig config = HotConfig.builder().source(source).build()) {
      HotConfigPropertySource ps = new HotConfigPropertySource(config, null);
      assertThat(ps.getName()).isEqualTo("hotconf");
      assertThat(ps.getProperty("db.pool.max")).isEqualTo("10");
      assertThat(ps.getProperty("db.zip")).isEqualTo("01234"); // as written
      assertThat(ps.getProperty("hosts[1]")).isEqualTo("b");
      assertThat(ps.containsProperty("db.gone")).isFalse();
      assertThat(ps.containsProperty("db.empty")).isFalse();
      assertThat(ps.getPropertyNames())
          .containsExactly("db.pool.max", "db.zip", "hosts[0]", "hosts[1]");
      assertThat(ps.getOrigin("db.pool.max")).hasToString("app.yaml:3:10");
      assertThat(ps.getOrigin("nothing")).isNull();
      String[] names = ps.getPropertyNames();
      assertThat(ps.getPropertyNames()).isSameAs(names); // Spring caches mappings by identity

      source.update(ConfigFormat.YAML, "db:\n  pool:\n    max: 20\n");
      await().until(() -> config.version() == 2);
      // no listener lag: the version that is live is the one answered
      assertThat(ps.getProperty("db.pool.max")).isEqualTo("20");
      assertThat(ps.getPropertyNames()).isNotSameAs(names).containsExactly("db.pool.max");

      StandardEnvironment env = new StandardEnvironment();
      MutablePropertySources sources = env.getPropertySources();
      sources.addFirst(ps);
      assertThat(env.getProperty("db.pool.max", Integer.class)).isEqualTo(20);
    }
  }
}
