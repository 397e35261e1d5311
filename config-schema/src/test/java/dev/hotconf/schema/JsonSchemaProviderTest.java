package dev.hotconf.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigStartupException;
import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.settings.Assembler;
import dev.hotconf.settings.Assembly;
import dev.hotconf.settings.HotConfigSettings;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceContext;
import dev.hotconf.source.SourceProvider;
import dev.hotconf.source.Sources;
import dev.hotconf.validate.SchemaProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Settings that name a schema find JSON Schema support through the ServiceLoader. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsonSchemaProviderTest {
  private static final String SCHEMA =
      """
      {"type": "object", "properties": {"db": {"type": "object", "properties": {
        "max": {"type": "integer", "maximum": 500}}}}}
      """;

  @TempDir Path dir;

  /** {@code type: text}: the document in {@code yaml:}. */
  private static final SourceProvider TEXT =
      new SourceProvider() {
        record Entry(String type, String yaml) {}

        @Override
        public String type() {
          return "text";
        }

        @Override
        public ConfigSource create(ConfigObject settings, SourceContext context) {
          return Sources.text(
              "app.yaml", ConfigFormat.YAML, context.bind(settings, Entry.class).orThrow().yaml());
        }
      };

  private Assembly<HotConfigSettings> assemble(String document, String... extra) {
    String yaml =
        String.join(
            "\n",
            "sources:",
            "  - type: text",
            "    yaml: '" + document + "'",
            "schema: schema.json",
            String.join("\n", extra));
    ConfigObject root =
        ConfigFormat.YAML.parse(
            yaml.getBytes(StandardCharsets.UTF_8),
            ConfigOrigin.ofFile("settings", dir.resolve("settings.yaml")));
    return Assembler.defaults()
        .withSourceProviders(List.of(TEXT))
        .assemble(root, "", HotConfigSettings.class);
  }

  @Test
  void aSchemaPathThatIsADeviceOrTooLargeIsRefusedWithoutReadingIt() throws Exception {
    Path zero = Files.createSymbolicLink(dir.resolve("zero.json"), Path.of("/dev/zero"));
    assertThatThrownBy(() -> JsonSchemaValidator.fromFile(zero))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("not a regular file");
    Path huge = Files.write(dir.resolve("huge.json"), new byte[(4 << 20) + 1]);
    assertThatThrownBy(() -> JsonSchemaValidator.fromFile(huge))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("larger than 4 MiB (the document limit)");
  }

  @Test
  void isFoundThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(SchemaProvider.class))
        .singleElement()
        .isInstanceOf(JsonSchemaProvider.class);
  }

  @Test
  void theSchemaNamedInTheSettingsValidatesTheConfig() throws Exception {
    Files.writeString(dir.resolve("schema.json"), SCHEMA);
    try (Assembly<HotConfigSettings> a = assemble("db: {max: 10}");
        HotConfig config = a.builder().build()) {
      assertThat(config.snapshot().getInt("db.max")).isEqualTo(10);
    }
    try (Assembly<HotConfigSettings> a = assemble("db: {max: 900}", "start-timeout: 2s")) {
      assertThatThrownBy(() -> a.builder().build())
          .isInstanceOf(ConfigStartupException.class)
          .hasMessageContaining("app.yaml:1:11: db.max:");
    }
    // strict: keys the schema does not declare are rejected too
    try (Assembly<HotConfigSettings> a =
        assemble("db: {max: 1, min: 0}", "strict: true", "start-timeout: 2s")) {
      assertThatThrownBy(() -> a.builder().build())
          .hasMessageContaining("db.min: is not declared in the schema");
    }
  }

  @Test
  void aSchemaThatCannotBeUsedIsAProblemAtTheSchemaKey() throws Exception {
    Files.writeString(dir.resolve("schema.json"), "{\"$ref\": \"https://example.invalid/s.json\"}");
    assertThatThrownBy(() -> assemble("a: 1"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::toString)
                    .singleElement()
                    .asString()
                    .startsWith(
                        dir.resolve("settings.yaml")
                            + ":4:9: schema: cannot use "
                            + dir.resolve("schema.json")
                            + ": not a usable JSON Schema"));
    Files.writeString(dir.resolve("schema.json"), "{\"type\": ");
    assertThatThrownBy(() -> assemble("a: 1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.json:1:");
  }
}
