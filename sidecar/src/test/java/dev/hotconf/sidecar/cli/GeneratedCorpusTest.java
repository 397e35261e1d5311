package dev.hotconf.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile inputs too big for the checked-in corpus: generated, then checked like the others. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GeneratedCorpusTest {
  private static final int DEPTH = 10_000;

  @TempDir Path dir;

  private String write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p.toString();
  }

  private static void assertSingleProblem(Cli.Result r, String line) {
    assertThat(r.outLines()).containsExactly(line, "1 file, 1 invalid, 1 problem");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void tenThousandNestedYamlListsStopAtTheDepthLimit() throws IOException {
    String f = write("deep-list.yaml", "a: " + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "\n");
    assertSingleProblem(
        Cli.run("validate", f),
        f + ":1:67: error: nesting depth exceeds the limit of 64 (maxNestingDepth)");
  }

  @Test
  void tenThousandNestedYamlMappings() throws IOException {
    String f =
        write("deep-map.yaml", "a: " + "{a: ".repeat(DEPTH) + "1" + "}".repeat(DEPTH) + "\n");
    Cli.Result r = Cli.run("validate", f);
    assertThat(r.outLines()).hasSize(2);
    assertThat(r.outLines().get(0))
        .startsWith(f + ":1:")
        .endsWith(": error: nesting depth exceeds the limit of 64 (maxNestingDepth)");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void tenThousandNestedJsonArrays() throws IOException {
    String f = write("deep.json", "{\"a\": " + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "}\n");
    assertSingleProblem(
        Cli.run("validate", f),
        f + ":1:70: error: nesting depth exceeds the limit of 64 (maxNestingDepth)");
  }

  @Test
  void tenThousandNestedJsonObjects() throws IOException {
    String f = write("deep-obj.json", "{\"a\": ".repeat(DEPTH) + "1" + "}".repeat(DEPTH) + "\n");
    assertSingleProblem(
        Cli.run("validate", f),
        f + ":1:385: error: nesting depth exceeds the limit of 64 (maxNestingDepth)");
  }

  @Test
  void tenMegabyteFileIsRejectedBySize() throws IOException {
    Path p = dir.resolve("big.yaml");
    long bytes = 0;
    try (Writer w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
      for (int i = 0; bytes < 10L * 1024 * 1024; i++) {
        String line =
            String.format("key%07d: value value value value value value value value%n", i);
        w.write(line);
        bytes += line.length();
      }
    }
    assertSingleProblem(
        Cli.run("validate", p.toString()),
        p
            + ": error: document is "
            + Files.size(p)
            + " bytes, over the limit of 4194304 bytes (maxDocumentBytes)");
  }

  @Test
  void biggerBillionLaughsIsStoppedToo() throws IOException {
    StringBuilder sb =
        new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 20; i++) {
      sb.append("l")
          .append(i)
          .append(": &l")
          .append(i)
          .append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, "*l" + (i - 1))))
          .append("]\n");
    }
    String f = write("laughs.yaml", sb.toString());
    Cli.Result r = Cli.run("validate", f);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.outLines().get(0)).startsWith(f + ":").contains(": error: ").contains("(max");
  }

  @Test
  void thousandFilesInADirectoryAreAllChecked() throws IOException {
    for (int i = 0; i < 1000; i++) {
      Files.writeString(
          dir.resolve(String.format("f%04d.yaml", i)), i == 500 ? "a: [" : "a: " + i + "\n");
    }
    Cli.Result r = Cli.run("validate", dir.toString());
    assertThat(r.outLines()).hasSize(2);
    assertThat(r.outLines().get(0)).startsWith(dir.resolve("f0500.yaml") + ":");
    assertThat(r.outLines().get(1)).isEqualTo("1000 files, 1 invalid, 1 problem");
  }
}
