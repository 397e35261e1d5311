package dev.hotconf.sidecar.cli;

import static dev.hotconf.sidecar.cli.Cli.corpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigRejectedException;
import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.schema.JsonSchemaValidator;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same file gets the same verdict and the same problems through the library (config-core's
 * parser plus the schema {@link dev.hotconf.validate.Validator} in a {@code HotConfig} / {@code
 * ValidationContext}) as through {@code hotconf validate}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LibraryParityTest {
  private static final String SCHEMA = corpus("schema/app.schema.yaml");

  /** A source that delivers one parsed tree. */
  record TreeSource(ConfigObject root) implements ConfigSource {
    @Override
    public String name() {
      return "tree";
    }

    @Override
    public void start(SourceListener listener) {
      listener.onContent(root);
    }

    @Override
    public void close() {}
  }

  static Stream<Arguments> corpusFiles() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (String dir : List.of("bad", "valid")) {
      files(dir).forEach(f -> out.add(Arguments.of(f, null, false)));
    }
    for (String dir : List.of("schema/bad", "schema/valid")) {
      for (String f : files(dir)) {
        out.add(Arguments.of(f, SCHEMA, false));
        out.add(Arguments.of(f, SCHEMA, true));
      }
    }
    return out.stream();
  }

  private static List<String> files(String dir) throws IOException {
    try (Stream<Path> s = Files.walk(Path.of(corpus(dir)))) {
      return s.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
    }
  }

  private static ConfigObject parse(String file) throws IOException {
    ConfigFormat format = ConfigFormat.forFileName(file).orElse(ConfigFormat.YAML);
    return format.parse(Files.readAllBytes(Path.of(file)), ConfigOrigin.of("file", file));
  }

  /**
   * The library's verdict: parse problems, else the validator's problems in a ValidationContext.
   */
  private static List<Problem> libraryProblems(String file, String schema, boolean strict)
      throws IOException {
    ConfigObject root;
    try {
      root = parse(file);
    } catch (ConfigParseException e) {
      return e.problems();
    }
    if (schema == null) {
      return List.of();
    }
    JsonSchemaValidator validator = JsonSchemaValidator.fromFile(Path.of(schema)).strict(strict);
    try (HotConfig config = HotConfig.builder().source(new TreeSource(root)).build()) {
      dev.hotconf.validate.ValidationContext ctx =
          new dev.hotconf.validate.ValidationContext(config.snapshot(), Redactor.defaults());
      validator.validate(ctx);
      return ctx.problems();
    }
  }

  @ParameterizedTest(name = "{0} schema={1} strict={2}")
  @MethodSource("corpusFiles")
  void sameVerdictThroughLibraryAndCli(String file, String schema, boolean strict)
      throws IOException {
    List<Problem> library = libraryProblems(file, schema, strict);

    List<String> args = new ArrayList<>(List.of("validate"));
    if (schema != null) {
      args.addAll(List.of("--schema", schema));
    }
    if (strict) {
      args.add("--strict");
    }
    args.add(file);
    Cli.Result cli = Cli.run(args.toArray(String[]::new));

    assertThat(cli.code()).isEqualTo(library.isEmpty() ? 0 : 1);
    List<String> lines = cli.outLines();
    assertThat(lines.subList(0, lines.size() - 1))
        .containsExactlyElementsOf(library.stream().map(p -> Report.textLine(file, p)).toList());
  }

  @Test
  void hotConfigRejectsWhatTheCliRejects() throws IOException {
    String file = corpus("schema/bad/maximum.yaml");
    JsonSchemaValidator validator = JsonSchemaValidator.fromFile(Path.of(SCHEMA));
    ConfigObject root = parse(file);
    assertThatThrownBy(
            () ->
                HotConfig.builder()
                    .source(new TreeSource(root))
                    .validate(validator)
                    .startTimeout(Duration.ofMillis(500))
                    .build())
        .isInstanceOf(ConfigRejectedException.class)
        .extracting(e -> ((ConfigRejectedException) e).problems())
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(Problem.class))
        .extracting(Problem::toString)
        .contains(file + ":2:9: server.port: 70000 is above the maximum 65535");
    assertThat(Cli.run("validate", "--schema", SCHEMA, file).outLines())
        .contains(file + ":2:9: error: server.port: 70000 is above the maximum 65535");
  }

  @Test
  void hotConfigAcceptsWhatTheCliAccepts() throws IOException {
    String file = corpus("schema/valid/full.yaml");
    JsonSchemaValidator validator = JsonSchemaValidator.fromFile(Path.of(SCHEMA)).strict(true);
    try (HotConfig config =
        HotConfig.builder().source(new TreeSource(parse(file))).validate(validator).build()) {
      assertThat(config.snapshot().getInt("server.port")).isEqualTo(8080);
    }
    assertThat(Cli.run("validate", "--strict", "--schema", SCHEMA, file).code()).isZero();
  }
}
