package dev.hotconf.sidecar.cli;

import static dev.hotconf.sidecar.cli.Cli.corpus;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad file of the corpus gives exactly the expected {@code PATH:LINE:COL: error: MESSAGE}
 * lines.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CorpusTest {
  private static final String TAG_HELP =
      "only the YAML core tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) are allowed";

  static Stream<Arguments> badFiles() {
    return Stream.of(
        bad(
            "bad/tabs.yaml",
            "2:1: error: while scanning for the next token: found character '\\t(TAB)'"
                + " that cannot start any token. (Do not use \\t(TAB) for indentation)"),
        bad(
            "bad/unclosed-quote.yaml",
            "3:1: error: while scanning a quoted scalar at 1:7: found unexpected end of stream"),
        bad(
            "bad/unclosed-quote.json",
            "1:20: error: found a control character in a string (it must be escaped, e.g. \\n or \\t)"),
        bad(
            "bad/unclosed-bracket.yaml",
            "2:5: error: while parsing a flow sequence at 1:8: expected ',' or ']', but got :"),
        bad(
            "bad/unclosed-brace.json",
            "2:1: error: unexpected end of document: the object opened at 1:1 is not closed"),
        bad("bad/duplicate-key.yaml", "4:3: error: found duplicate key 'server.port'"),
        bad("bad/duplicate-key.json", "3:3: error: found duplicate key 'a'"),
        bad("bad/duplicate-key.properties", "3:1: error: found duplicate key 'a'"),
        bad(
            "bad/script-engine-tag.yaml",
            "1:9: error: found unsupported tag '!!javax.script.ScriptEngineManager': " + TAG_HELP,
            "1:45: error: found unsupported tag '!!java.net.URLClassLoader': " + TAG_HELP,
            "1:73: error: found unsupported tag '!!java.net.URL': " + TAG_HELP),
        bad(
            "bad/billion-laughs.yaml",
            "6:14: error: document expands to more than 200000 values (maxValues)"),
        bad("bad/trailing-comma.json", "3:13: error: found a trailing comma (not allowed in JSON)"),
        bad(
            "bad/trailing-comma-object.json",
            "1:8: error: found a trailing comma (not allowed in JSON)"),
        bad("bad/invalid-utf8.yaml", "1:10: error: invalid UTF-8: byte 0xC3 at offset 9"),
        bad("bad/binary-garbage.yaml", "1:4: error: invalid UTF-8: byte 0xFE at offset 3"),
        bad(
            "bad/root-list.yaml",
            "1:1: error: the document must be a mapping of keys to values, but it is a list"),
        bad(
            "bad/two-documents.yaml",
            "2:1: error: found a second YAML document: a config file holds exactly one document"));
  }

  private static Arguments bad(String file, String... lines) {
    return Arguments.of(file, List.of(lines));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void reportsExactLine(String file, List<String> expected) {
    Cli.Result r = Cli.run("validate", corpus(file));

    List<String> want = expected.stream().map(l -> corpus(file) + ":" + l).toList();
    assertThat(r.outLines())
        .containsExactlyElementsOf(
            Stream.concat(
                    want.stream(),
                    Stream.of(
                        "1 file, 1 invalid, "
                            + expected.size()
                            + (expected.size() == 1 ? " problem" : " problems")))
                .toList());
    assertThat(r.code()).isEqualTo(ExitCode.INVALID.code());
    assertThat(r.err()).isEmpty();
  }

  static Stream<Arguments> schemaViolations() {
    return Stream.of(
        bad("schema/bad/type.yaml", "2:9: error: server.port: expected integer but found string"),
        bad("schema/bad/required.yaml", "2:3: error: server.host: is required but missing"),
        bad("schema/bad/enum.yaml", "4:9: error: server.mode: 'red' is not one of 'blue', 'green'"),
        bad(
            "schema/bad/pattern.yaml",
            "3:9: error: server.host: 'Example_Org' does not match the pattern"
                + " ^[a-z0-9-]+(\\.[a-z0-9-]+)*$"),
        bad("schema/bad/minimum.yaml", "2:9: error: server.port: 0 is below the minimum 1"),
        bad("schema/bad/maximum.yaml", "2:9: error: server.port: 70000 is above the maximum 65535"),
        bad(
            "schema/bad/additional-properties.yaml",
            "4:9: error: colour: is not allowed here (the schema allows no other keys)"),
        bad("schema/bad/ref.yaml", "6:11: error: db.pool.size: 0 is below the minimum 1"),
        bad(
            "schema/bad/secret.yaml",
            "5:13: error: db.password: is shorter than 12 characters",
            "5:13: error: db.password: <redacted> does not match the pattern ^[^ ]+$"),
        bad(
            "schema/bad/several.json",
            "1:12: error: server.host: is required but missing",
            "1:21: error: server.port: expected integer but found boolean"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaViolations")
  void reportsSchemaViolationAtTheValue(String file, List<String> expected) {
    Cli.Result r = Cli.run("validate", "--schema", corpus("schema/app.schema.yaml"), corpus(file));

    List<String> lines = r.outLines();
    assertThat(lines.subList(0, lines.size() - 1))
        .containsExactlyElementsOf(expected.stream().map(l -> corpus(file) + ":" + l).toList());
    assertThat(r.code()).isEqualTo(ExitCode.INVALID.code());
    assertThat(r.out()).doesNotContain("hunter2");
  }
}
