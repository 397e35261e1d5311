package dev.hotconf.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigFailure;
import dev.hotconf.IntSetting;
import dev.hotconf.testing.files.FileReplacement;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * hotconf's config source in SmallRye Config, as a MicroProfile application uses it: discovered
 * through ServiceLoader, Config.getValue new after a file edit, a rejected edit never visible, the
 * live keys in getPropertyNames, and the ordinal against system-property-like sources.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SmallRyeConfigTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @AfterEach
  void closeSources() {
    HotConfigSourceProvider.closeAll();
  }

  private Path app(String yaml) throws Exception {
    return Files.writeString(dir.resolve("app.yaml"), yaml);
  }

  private static String pool(int max) {
    return "db:\n  url: jdbc:postgresql://db/app\n  pool:\n    max: " + max + "\nhosts: [a, b]\n";
  }

  /** A class loader that has META-INF/hotconf.yaml, as an application jar would. */
  private ClassLoader withSettings(String settings) throws Exception {
    Path root = dir.resolve("classes");
    Files.createDirectories(root.resolve("META-INF"));
    Files.writeString(root.resolve("META-INF/hotconf.yaml"), settings);
    return new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader());
  }

  private String fileSource(String extra) {
    return "sources:\n  - type: file\n    path: "
        + dir.resolve("app.yaml")
        + "\n    debounce: 50ms\n"
        + extra;
  }

  @Test
  void discoveredFromTheClassPathAndHotOnEveryGetValue() throws Exception {
    Path app = app(pool(10));
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .forClassLoader(withSettings(fileSource("")))
            .addDiscoveredSources()
            .build();
    assertThat(config.getValue("db.pool.max", Integer.class)).isEqualTo(10);
    assertThat(config.getValues("hosts", String.class)).containsExactly("a", "b");
    HotConfigSource source = hotconf(config);
    assertThat(source.getOrdinal()).isEqualTo(MicroProfileSettings.DEFAULT_ORDINAL);

    FileReplacement.renameOver(app, pool(20), ".app.yaml.tmp");
    await().atMost(WAIT).until(() -> config.getValue("db.pool.max", Integer.class) == 20);
    assertThat(source.config().version()).isEqualTo(2);
  }

  @Test
  void aRejectedEditNeverShowsAndTheOldValueStays() throws Exception {
    Path app = app(pool(10));
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .forClassLoader(withSettings(fileSource("")))
            .addDiscoveredSources()
            .build();
    HotConfigSource source = hotconf(config);
    // the application reads db.pool.max as an int through hotconf too: a version where it is not
    // one is invalid, and rejected as a whole
    IntSetting max = source.config().intSetting("db.pool.max");
    List<ConfigFailure> failures = new CopyOnWriteArrayList<>();
    source.config().onFailure(failures::add);

    FileReplacement.renameOver(
        app, pool(10).replace("max: 10", "max: ten").replace("db/app", "db/other"), ".tmp");
    await().atMost(WAIT).until(() -> !failures.isEmpty());
    assertThat(failures.get(0).kind()).isEqualTo(ConfigFailure.Kind.REJECTED);
    assertThat(failures.get(0).message())
        .isEqualTo(app + ":4:10: db.pool.max: expected an int but found 'ten'");
    assertThat(config.getValue("db.pool.max", Integer.class)).isEqualTo(10);
    assertThat(config.getValue("db.url", String.class)).isEqualTo("jdbc:postgresql://db/app");
    assertThat(max.getAsInt()).isEqualTo(10);

    FileReplacement.renameOver(app, "db: [unclosed\n", ".tmp"); // a syntax error
    await().atMost(WAIT).until(() -> failures.size() >= 2);
    assertThat(failures.get(1).kind()).isEqualTo(ConfigFailure.Kind.SOURCE_FAILED);
    assertThat(config.getValue("db.pool.max", Integer.class)).isEqualTo(10);
    assertThat(source.config().version()).isEqualTo(1);
  }

  @Test
  void aSchemaInTheSettingsRejectsAVersionThatBreaksIt() throws Exception {
    Path app = app(pool(10));
    Files.writeString(
        dir.resolve("schema.yaml"),
        "type: object\nproperties:\n  db:\n    type: object\n    properties:\n"
            + "      pool:\n        type: object\n        properties:\n"
            + "          max: {type: integer, maximum: 100}\n");
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .forClassLoader(
                withSettings(fileSource("schema: " + dir.resolve("schema.yaml") + "\n")))
            .addDiscoveredSources()
            .build();
    HotConfigSource source = hotconf(config);
    List<ConfigFailure> failures = new CopyOnWriteArrayList<>();
    source.config().onFailure(failures::add);

    FileReplacement.renameOver(app, pool(500), ".tmp");
    await().atMost(WAIT).until(() -> !failures.isEmpty());
    assertThat(failures.get(0).kind()).isEqualTo(ConfigFailure.Kind.REJECTED);
    assertThat(failures.get(0).message()).startsWith(app + ":4:10: db.pool.max: ");
    assertThat(config.getValue("db.pool.max", Integer.class)).isEqualTo(10);
  }

  @Test
  void theLiveKeysAreInThePropertyNames() throws Exception {
    Path app = app(pool(10));
    ClassLoader loader = withSettings(fileSource(""));
    SmallRyeConfig cached =
        new SmallRyeConfigBuilder().forClassLoader(loader).addDiscoveredSources().build();
    SmallRyeConfig uncached =
        new SmallRyeConfigBuilder()
            .forClassLoader(loader)
            .addDiscoveredSources()
            .setCachePropertyNames(false)
            .build();
    HotConfigSource source = hotconf(cached);
    assertThat(hotconf(uncached)).isSameAs(source); // one hotconf per settings location
    assertThat(names(cached.getPropertyNames())).contains("db.url", "db.pool.max", "hosts");
    assertThat(cached.getOptionalValue("feature.enabled", Boolean.class)).isEmpty();

    FileReplacement.renameOver(app, "db:\n  pool:\n    max: 10\nfeature:\n  enabled: true\n", ".t");
    await()
        .atMost(WAIT)
        .until(() -> cached.getOptionalValue("feature.enabled", Boolean.class).orElse(false));
    assertThat(source.getPropertyNames())
        .containsExactlyInAnyOrder("db.pool.max", "feature.enabled");
    assertThat(cached.getOptionalValue("db.url", String.class)).isEmpty();
    // SmallRye caches the names it collected first by default; the latest names, or a Config
    // built with setCachePropertyNames(false), follow the live keys
    assertThat(names(cached.getPropertyNames()))
        .contains("db.url")
        .doesNotContain("feature.enabled");
    assertThat(names(cached.getLatestPropertyNames()))
        .contains("db.pool.max", "feature.enabled")
        .doesNotContain("db.url", "hosts");
    assertThat(names(uncached.getPropertyNames()))
        .contains("db.pool.max", "feature.enabled")
        .doesNotContain("db.url", "hosts");
  }

  @Test
  void theOrdinalDecidesAgainstOtherSources() throws Exception {
    app(pool(10));
    ConfigSource systemLike = new PropertiesConfigSource(Map.of("db.pool.max", "99"), "sys", 400);
    Config above =
        new SmallRyeConfigBuilder()
            .forClassLoader(withSettings(fileSource("")))
            .addDiscoveredSources()
            .withSources(systemLike)
            .build();
    assertThat(above.getValue("db.pool.max", Integer.class)).isEqualTo(10);
    HotConfigSourceProvider.closeAll();

    Path settings = Files.writeString(dir.resolve("hotconf.yaml"), fileSource("ordinal: 350\n"));
    HotConfigSourceProvider provider =
        new HotConfigSourceProvider(
            name -> name.equals("hotconf.config") ? settings.toString() : null, name -> null);
    Config below =
        new SmallRyeConfigBuilder().withSources(provider).withSources(systemLike).build();
    assertThat(below.getValue("db.pool.max", Integer.class)).isEqualTo(99);
    assertThat(below.getValue("db.url", String.class)).isEqualTo("jdbc:postgresql://db/app");
  }

  @Test
  void badSettingsFailWithTheirPositionsAndNoSettingsAddNothing() throws Exception {
    Path settings =
        Files.writeString(
            dir.resolve("hotconf.yaml"),
            "sources:\n  - type: file\n    path: app.yaml\n    debounce: soon\nordinal: high\n");
    HotConfigSourceProvider provider =
        new HotConfigSourceProvider(
            name -> name.equals("hotconf.config") ? settings.toString() : null, name -> null);
    assertThatThrownBy(() -> provider.getConfigSources(getClass().getClassLoader()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            settings + ":4:15: sources[0].debounce: expected a duration like 250ms")
        .hasMessageContaining(settings + ":5:10: ordinal: expected an int but found 'high'");

    HotConfigSourceProvider none = new HotConfigSourceProvider(name -> null, name -> null);
    assertThat(none.getConfigSources(new URLClassLoader(new URL[0], null))).isEmpty();
  }

  /** A copy: SmallRye's name iterables can be iterated once only. */
  private static List<String> names(Iterable<String> names) {
    List<String> out = new java.util.ArrayList<>();
    names.forEach(out::add);
    return out;
  }

  private static HotConfigSource hotconf(SmallRyeConfig config) {
    return StreamSupport.stream(config.getConfigSources().spliterator(), false)
        .filter(HotConfigSource.class::isInstance)
        .map(HotConfigSource.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
