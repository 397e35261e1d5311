package dev.hotconf.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys, values and file names may hold control characters (YAML's double-quoted {@code "\e"},
 * {@code "\u009B"}, JSON's {@code "\u001b"}): no command prints one raw where a terminal reads it.
 * They appear as {@code \}{@code uXXXX} in the text and github formats, in {@code diff}, {@code
 * get} and on stderr; the JSON format escapes them as JSON does.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TerminalSafetyTest {
  private static final char ESC = 0x1B;

  @TempDir Path dir;

  /**
   * Duplicate keys whose text resets the terminal and switches its character set, forges a line,
   * and starts a C1 escape sequence and a right-to-left override ({@code [} is not allowed in
   * keys).
   */
  private Path hostileKeys() throws IOException {
    Path f = dir.resolve("keys.yaml");
    Files.writeString(
        f,
        """
        "a\\ec\\e(0red": 1
        "a\\ec\\e(0red": 2
        "b\\r\\nok: all good": 1
        "b\\r\\nok: all good": 2
        "c\\u009B31m\\u202Eevil": 1
        "c\\u009B31m\\u202Eevil": 2
        """);
    return f;
  }

  @Test
  void validateTextEscapesControlCharactersInKeys() throws IOException {
    Cli.Result r = Cli.run("validate", hostileKeys().toString());

    assertNoRawControls(r.out());
    assertThat(r.outLines())
        .containsExactly(
            dir.resolve("keys.yaml") + ":2:1: error: found duplicate key 'a\\u001Bc\\u001B(0red'",
            dir.resolve("keys.yaml")
                + ":4:1: error: found duplicate key 'b\\u000D\\u000Aok: all good'",
            dir.resolve("keys.yaml") + ":6:1: error: found duplicate key 'c\\u009B31m\\u202Eevil'",
            "1 file, 1 invalid, 3 problems");
  }

  @Test
  void validateGithubEscapesControlCharactersInKeys() throws IOException {
    Cli.Result r = Cli.run("validate", "--format", "github", hostileKeys().toString());

    assertNoRawControls(r.out());
    assertThat(r.outLines()).hasSize(4);
    assertThat(r.outLines().get(0))
        .endsWith(",line=2,col=1::found duplicate key 'a\\u001Bc\\u001B(0red'");
    assertThat(r.outLines().get(1))
        .endsWith(",line=4,col=1::found duplicate key 'b\\u000D\\u000Aok: all good'");
  }

  @Test
  void validateJsonEscapesAsJsonDoes() throws IOException {
    Cli.Result r = Cli.run("validate", "--format", "json", hostileKeys().toString());

    assertNoRawControls(r.out());
    assertThat(r.out())
        .contains("found duplicate key 'a\\u001bc\\u001b(0red'")
        .contains("found duplicate key 'b\\r\\nok: all good'")
        .contains("found duplicate key 'c\\u009b31m\\u202eevil'");
  }

  @Test
  void fileNamesAreEscapedToo() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("d"));
    Files.writeString(sub.resolve("x" + ESC + "]0;owned" + (char) 7 + ".yaml"), "a: 1\na: 2\n");

    Cli.Result r = Cli.run("validate", sub.toString());

    assertNoRawControls(r.out());
    assertThat(r.outLines().get(0))
        .isEqualTo(
            sub.resolve("x") + "\\u001B]0;owned\\u0007.yaml:2:1: error: found duplicate key 'a'");
  }

  @Test
  void diffPrintsOneEscapedLinePerChange() throws IOException {
    Path a = dir.resolve("a.yaml");
    Path b = dir.resolve("b.yaml");
    Files.writeString(a, "\"k\\e(0\": \"v\\e[0m\"\nnote: x\n");
    Files.writeString(b, "\"k\\e(0\": \"w\"\nnote: \"x\\n+ admin = true\"\n");

    Cli.Result r = Cli.run("diff", a.toString(), b.toString());

    assertNoRawControls(r.out());
    assertThat(r.outLines())
        .containsExactly(
            "~ k\\u001B(0: 'v\\u001B[0m' -> 'w'", "~ note: 'x' -> 'x\\u000A+ admin = true'");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void getPrintsJsonWithoutRawControlsAndAnEscapedOrigin() throws IOException {
    Path f = dir.resolve("v" + ESC + "[1m.yaml");
    Files.writeString(f, "a: \"x\\e[2J\\u0085\\u009B\\u2066y\\u00e9\"\n");

    Cli.Result r = Cli.run("get", "--explain", f.toString(), "a");

    assertNoRawControls(r.out());
    assertThat(r.outLines())
        .containsExactly(
            "\"x\\u001B[2J\\u0085\\u009B\\u2066yé\"",
            "origin: " + dir.resolve("v") + "\\u001B[1m.yaml:1:4");
  }

  @Test
  void problemsOnStderrAreEscaped() throws IOException {
    Cli.Result r = Cli.run("get", hostileKeys().toString(), "a");

    assertNoRawControls(r.err());
    assertThat(r.err()).contains("found duplicate key 'a\\u001Bc\\u001B(0red'");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void aKeyNotFoundEchoesTheArgumentEscaped() throws IOException {
    Path f = dir.resolve("a.yaml");
    Files.writeString(f, "a: 1\n");

    Cli.Result r = Cli.run("get", f.toString(), "b" + ESC + "c");

    assertNoRawControls(r.err());
    assertThat(r.err()).contains("key 'b\\u001Bc' not found");
  }

  private static void assertNoRawControls(String output) {
    for (int i = 0; i < output.length(); i++) {
      char c = output.charAt(i);
      assertThat(TerminalText.unsafe(c) && c != '\n')
          .as("raw U+%04X at %d in:%n%s", (int) c, i, output)
          .isFalse();
    }
  }
}
