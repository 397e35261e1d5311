package dev.hotconf.testing.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeSnippetsTest {
  @TempDir Path dir;

  private ReadmeSnippets readme(String markdown) throws Exception {
    return ReadmeSnippets.of(Files.writeString(dir.resolve("README.md"), markdown))
        .imports("java.time.*")
        .method("static void snippet(String name) throws Exception");
  }

  @Test
  void statementsAndDeclarationsCompileEachInTheirOwnPackage() throws Exception {
    ReadmeSnippets ok =
        readme(
            "text\n```java\nDuration d = Duration.ofSeconds(name.length());\n```\n"
                + "```java\n// a comment first\n@Deprecated\nrecord Pool(int max) {}\n\n"
                + "class User { Pool pool = new Pool(1); }\n```\n"
                + "```java\nimport java.util.List;\n\nrecord Pool(List<Duration> d) {}\n```\n"
                + "```yaml\nnot: java\n```\n");
    assertThat(ok.count()).isEqualTo(3);
    assertThat(ok.compile(System.getProperty("java.class.path"))).isEmpty();
  }

  @Test
  void aBlockThatDoesNotCompileIsReportedWithTheFile() throws Exception {
    ReadmeSnippets bad =
        readme("```java\nint x = name;\n```\n```java\nrecord Pool(Missing m) {}\n```\n");
    String errors = bad.compile(System.getProperty("java.class.path"));
    assertThat(errors)
        .startsWith(dir.resolve("README.md") + ":")
        .contains("incompatible types")
        .contains("cannot find symbol");
  }
}
