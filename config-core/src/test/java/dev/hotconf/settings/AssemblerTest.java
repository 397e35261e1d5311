package dev.hotconf.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigStartupException;
import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.bind.Bound;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Inline;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.SourceContext;
import dev.hotconf.source.SourceListener;
import dev.hotconf.source.SourceProvider;
import dev.hotconf.source.Sources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AssemblerTest {
  @TempDir Path dir;

  /** A source type for tests: {@code type: text} with the document in {@code yaml:}. */
  static final class TextProvider implements SourceProvider {
    final List<Closing> created = new CopyOnWriteArrayList<>();

    record Entry(String type, String yaml, @DefaultValue("text") String name) {}

    @Override
    public String type() {
      return "text";
    }

    @Override
    public ConfigSource create(ConfigObject settings, SourceContext context) {
      Bound<Entry> bound = context.bind(settings, Entry.class);
      Entry e = bound.orThrow();
      MemorySource source =
          bound.supply(
              "yaml",
              () -> {
                if (e.yaml().contains("\t")) {
                  throw new IllegalArgumentException("no tabs, please");
                }
                return Sources.text(e.name(), ConfigFormat.YAML, e.yaml());
              });
      bound.orThrow();
      Closing c = new Closing(source);
      created.add(c);
      return c;
    }
  }

  /** Remembers whether it was closed. */
  static final class Closing implements ConfigSource {
    final ConfigSource inner;
    volatile boolean closed;

    Closing(ConfigSource inner) {
      this.inner = inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public void start(SourceListener listener) {
      inner.start(listener);
    }

    @Override
    public void close() {
      closed = true;
      inner.close();
    }
  }

  private ConfigObject settings(String... lines) {
    return ConfigFormat.YAML.parse(
        String.join("\n", lines).getBytes(StandardCharsets.UTF_8),
        ConfigOrigin.ofFile("settings", dir.resolve("settings.yaml")));
  }

  private static List<String> problems(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("no problems");
  }

  @Test
  void settingsBecomeARunningConfig() throws Exception {
    TextProvider text = new TextProvider();
    ConfigObject root =
        settings(
            "sources:",
            "  - type: text",
            "    yaml: 'db: {pool: {max: 10}, url: x}'",
            "  - type: text",
            "    yaml: 'db: {pool: {max: 20}}'",
            "last-known-good: state/lkg.json",
            "start-timeout: 5s");
    try (Assembly<HotConfigSettings> a =
            Assembler.defaults()
                .withSourceProviders(List.of(text))
                .assemble(root, "", HotConfigSettings.class);
        HotConfig config = a.builder().name("assembled").build()) {
      assertThat(a.settings()).isSameAs(a.hotConfigSettings());
      assertThat(a.settings().startTimeout()).isEqualTo(Duration.ofSeconds(5));
      // later sources override earlier ones, as listed
      assertThat(config.snapshot().getInt("db.pool.max")).isEqualTo(20);
      assertThat(config.snapshot().getString("db.url")).isEqualTo("x");
      // the last-known-good file, relative to the settings file, is written
      assertThat(Files.exists(dir.resolve("state/lkg.json"))).isTrue();
      assertThatThrownBy(a::builder).isInstanceOf(IllegalStateException.class);
    }
    assertThat(text.created).allMatch(c -> c.closed);
  }

  @Test
  void everyProblemOfEveryStepIsReportedAtOnceAndNothingIsLeftOpen() {
    TextProvider text = new TextProvider();
    ConfigObject root =
        settings(
            "sources:",
            "  - type: text",
            "    yaml: 'a: 1'",
            "  - type: text",
            "    yaml: \"a:\\t1\"",
            "  - type: txt",
            "  - {type: text, yml: x}",
            "  - type: text",
            "    yaml: 'b: 2'",
            "start-timeout: 0s",
            "strictt: true");
    String f = dir.resolve("settings.yaml").toString();
    assertThat(
            problems(
                () ->
                    Assembler.defaults()
                        .withSourceProviders(List.of(text))
                        .assemble(root, "", HotConfigSettings.class)))
        .containsExactly(
            f + ":5:11: sources[1].yaml: no tabs, please",
            f + ":6:11: sources[2].type: expected a source type (text) but found 'txt'",
            f + ":7:5: sources[3].yaml: missing: required by Entry.yaml",
            f + ":7:23: sources[3].yml: unknown key (expected one of name, type, yaml)",
            f + ":10:16: start-timeout: must be positive but found '0s'",
            f
                + ":11:10: strictt: unknown key (expected one of guard, last-known-good, redact, schema, sources, start-timeout, strict)");
    // the two sources created for the good entries were closed
    assertThat(text.created).hasSize(2).allMatch(c -> c.closed);
  }

  @Test
  void redactAddsSecretKeysToTheConfigAndItsSourcesMessages() {
    TextProvider text = new TextProvider();
    ConfigObject root =
        settings(
            "sources:",
            "  - type: text",
            "    yaml: 'card: {pin: 1234, holder: ann}'",
            "  - type: text",
            "    name: broken",
            "    yaml: 'card: {pin: *9876x}'",
            "redact:",
            "  - '(^|\\.)pin$'",
            "  - holder",
            "start-timeout: 300ms");
    try (Assembly<HotConfigSettings> a =
        Assembler.defaults()
            .withSourceProviders(List.of(text))
            .assemble(root, "", HotConfigSettings.class)) {
      HotConfig.Builder builder = a.builder();
      assertThat(a.settings().redactor().isSecret("card.pin")).isTrue();
      assertThat(a.settings().redactor().isSecret("card.holder")).isTrue();
      assertThat(a.settings().redactor().isSecret("db.password")).isTrue();
      assertThat(a.settings().redactor().isSecret("spinner")).isFalse();
      // the broken source's alias name (the unquoted "pin") stays out of its message
      assertThatThrownBy(builder::build)
          .isInstanceOf(ConfigStartupException.class)
          .hasMessageContaining("broken:1:13: found undefined alias")
          .hasMessageNotContaining("9876x");
    }
  }

  @Test
  void aMalformedRedactPatternIsAProblemAtItsValue() {
    ConfigObject root =
        settings("sources:", "  - type: text", "    yaml: 'a: 1'", "redact: [ok, 'pin(', '[x']");
    String f = dir.resolve("settings.yaml").toString();
    assertThat(
            problems(
                () ->
                    Assembler.defaults()
                        .withSourceProviders(List.of(new TextProvider()))
                        .assemble(root, "", HotConfigSettings.class)))
        .containsExactly(
            f + ":4:14: redact[1]: expected a regular expression (Unclosed group) but found 'pin('",
            f
                + ":4:22: redact[2]: expected a regular expression (Unclosed character class)"
                + " but found '[x'");
  }

  @Test
  void aSchemaNeedsASchemaProvider() throws Exception {
    Files.writeString(dir.resolve("schema.json"), "{}");
    ConfigObject root =
        settings("sources:", "  - type: text", "    yaml: 'a: 1'", "schema: schema.json");
    TextProvider text = new TextProvider();
    // config-core alone has none on its class path
    assertThat(
            problems(
                () ->
                    Assembler.defaults()
                        .withSourceProviders(List.of(text))
                        .assemble(root, "", HotConfigSettings.class)))
        .containsExactly(
            dir.resolve("settings.yaml")
                + ":4:9: schema: no schema support on the class path (add hotconf's config-schema module)");
    List<Path> loaded = new CopyOnWriteArrayList<>();
    Assembler withSchema =
        Assembler.defaults()
            .withSourceProviders(List.of(text))
            .withSchemaProvider(
                (file, strict) -> {
                  loaded.add(file);
                  return ctx -> ctx.problem("a", "rejected by the schema");
                });
    try (Assembly<HotConfigSettings> a = withSchema.assemble(root, "", HotConfigSettings.class)) {
      assertThat(loaded).containsExactly(dir.resolve("schema.json"));
      assertThatThrownBy(() -> a.builder().startTimeout(Duration.ofSeconds(2)).build())
          .isInstanceOf(ConfigStartupException.class)
          .hasMessageContaining("a: rejected by the schema");
    }
    Assembler unreadable =
        Assembler.defaults()
            .withSourceProviders(List.of(text))
            .withSchemaProvider(
                (file, strict) -> {
                  throw new java.nio.file.NoSuchFileException(file.toString());
                });
    assertThat(problems(() -> unreadable.assemble(root, "", HotConfigSettings.class)))
        .containsExactly(
            dir.resolve("settings.yaml")
                + ":4:9: schema: cannot read "
                + dir.resolve("schema.json")
                + ": NoSuchFileException");
  }

  /** A front-end's record: the shared settings inlined beside keys of its own. */
  record FrontEnd(
      @Inline HotConfigSettings hotconf,
      @DefaultValue("true") boolean refreshBeans,
      Optional<String> profile) {}

  @Test
  void aFrontEndInlinesTheSharedSettingsBesideItsOwnKeys() {
    TextProvider text = new TextProvider();
    ConfigObject hotconf =
        settings("sources:", "  - type: text", "    yaml: 'a: 1'", "refresh-beans: false");
    try (Assembly<FrontEnd> a =
        Assembler.defaults()
            .withSourceProviders(List.of(text))
            .assemble(hotconf, "hotconf", FrontEnd.class)) {
      assertThat(a.settings().refreshBeans()).isFalse();
      assertThat(a.hotConfigSettings().sources()).hasSize(1);
    }
    ConfigObject bad = settings("sources:", "  - type: text", "    yaml: 'a: 1'", "refresh: no");
    assertThat(
            problems(
                () ->
                    Assembler.defaults()
                        .withSourceProviders(List.of(text))
                        .assemble(bad, "hotconf", FrontEnd.class)))
        .containsExactly(
            dir.resolve("settings.yaml")
                + ":4:10: hotconf.refresh: unknown key (expected one of guard, last-known-good, profile, redact, refresh-beans, schema, sources, start-timeout, strict)");
  }

  record NoShared(Optional<String> profile) {}

  @Test
  void aTypeWithoutTheSharedSettingsIsAProgrammingError() {
    assertThatThrownBy(() -> Assembler.defaults().assemble(settings("a: 1"), "", NoShared.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@Inline HotConfigSettings");
  }

  @Test
  void twoProvidersForOneTypeAreRefused() {
    ConfigObject root = settings("sources:", "  - type: text", "    yaml: 'a: 1'");
    SourceProvider other =
        new SourceProvider() {
          @Override
          public String type() {
            return "text";
          }

          @Override
          public ConfigSource create(ConfigObject settings, SourceContext context) {
            throw new AssertionError();
          }
        };
    assertThatThrownBy(
            () ->
                Assembler.defaults()
                    .withSourceProviders(List.of(new TextProvider(), other))
                    .assemble(root, "", HotConfigSettings.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two source providers for type 'text'");
  }

  @Test
  void theGuardKeyAddsAShrinkGuardToTheBuiltConfig() throws Exception {
    TextProvider text = new TextProvider();
    ConfigObject root =
        settings(
            "sources:",
            "  - type: text",
            "    yaml: '{a: 1, b: 2, c: 3, d: 4}'",
            "guard:",
            "  max-removed-keys: 25%",
            "  allow-key: ops.allow");
    try (Assembly<HotConfigSettings> a =
            Assembler.defaults()
                .withSourceProviders(List.of(text))
                .assemble(root, "", HotConfigSettings.class);
        HotConfig config = a.builder().name("guarded").build()) {
      assertThat(a.guard()).isPresent();
      assertThat(a.guard().get().maxRemovedShare()).isEqualTo(0.25);
      assertThat(a.guard().get().refusesEmpty()).isTrue();
      assertThat(a.guard().get().allowKey())
          .hasValueSatisfying(k -> k.toString().equals("ops.allow"));
      assertThat(config.version()).isEqualTo(1);
    }
    try (Assembly<HotConfigSettings> a =
        Assembler.defaults()
            .withSourceProviders(List.of(text))
            .assemble(
                settings("sources:", "  - type: text", "    yaml: 'a: 1'"),
                "",
                HotConfigSettings.class)) {
      assertThat(a.guard()).isEmpty();
    }
  }

  @Test
  void badGuardSettingsAreProblemsAtTheirValues() {
    TextProvider text = new TextProvider();
    ConfigObject root =
        settings(
            "sources:",
            "  - type: text",
            "    yaml: 'a: 1'",
            "guard:",
            "  max-removed-keys: 30",
            "  allow-key: 'a..b'");
    String f = dir.resolve("settings.yaml").toString();
    assertThat(
            problems(
                () ->
                    Assembler.defaults()
                        .withSourceProviders(List.of(text))
                        .assemble(root, "", HotConfigSettings.class)))
        .containsExactly(
            f + ":5:21: guard.max-removed-keys: expected a percentage from 0% to 100%, like 30%",
            f + ":6:14: guard.allow-key: expected a dotted key like hotconf.allow-shrink");
    ConfigObject nothing =
        settings(
            "sources:", "  - type: text", "    yaml: 'a: 1'", "guard:", "  refuse-empty: false");
    assertThat(
            problems(
                () ->
                    Assembler.defaults()
                        .withSourceProviders(List.of(text))
                        .assemble(nothing, "", HotConfigSettings.class)))
        .containsExactly(
            f
                + ":5:3: guard: a guard with refuse-empty: false needs max-removed-keys (else it"
                + " refuses nothing)");
  }
}
