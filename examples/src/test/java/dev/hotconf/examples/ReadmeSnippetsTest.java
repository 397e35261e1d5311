package dev.hotconf.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every {@code ```java} block in every README of the repository (the root one and each module's)
 * must compile against the project's classes. A block that declares a class (a test class, say) is
 * compiled as a file; any other block as the body of a method {@code snippet(HotConfig config)}
 * (local records allowed; without the parameter when the block declares its own {@code config}).
 * Both get the imports below. Errors point at the README's line. The framework adapters' READMEs
 * (config-spring-boot, config-microprofile) need Spring and MicroProfile on the class path: the
 * examples/spring-boot module compiles them ({@code FrameworkReadmeSnippetsTest}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReadmeSnippetsTest {
  private static final String IMPORTS =
      String.join(
          "\n",
          "import static org.assertj.core.api.Assertions.*;",
          "import static org.awaitility.Awaitility.*;",
          "import dev.hotconf.*;",
          "import dev.hotconf.bind.*;",
          "import dev.hotconf.consul.*;",
          "import dev.hotconf.consul.fleet.*;",
          "import dev.hotconf.file.*;",
          "import dev.hotconf.parse.*;",
          "import dev.hotconf.schema.*;",
          "import dev.hotconf.settings.*;",
          "import dev.hotconf.source.*;",
          "import dev.hotconf.testing.consul.*;",
          "import dev.hotconf.testing.files.*;",
          "import dev.hotconf.validate.*;",
          "import java.nio.file.*;",
          "import java.time.*;",
          "import java.util.*;",
          "import java.util.function.*;",
          "import org.junit.jupiter.api.*;",
          "import org.junit.jupiter.api.extension.*;",
          "");
  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  /**
   * A block that declares a type at its top level (after annotations and comments). A bare {@code
   * record} does not count: a block that opens with a record and goes on with statements is a
   * method body with a local record.
   */
  private static final Pattern DECLARES_A_TYPE =
      Pattern.compile(
          "\\A(?:\\s*(?://[^\\n]*|@\\w+(?:\\([^)]*\\))?))*\\s*"
              + "(?:(?:(?:public|final|abstract)\\s+)+(?:class|record|interface|enum)"
              + "|(?:class|interface|enum))\\s+\\w+");

  /** A block that builds its own {@code config} (the method then takes none). */
  private static final Pattern DEFINES_CONFIG = Pattern.compile("\\bHotConfig\\s+config\\s*=");

  /** One README block, as a compilation unit of its own (its own package). */
  private static final class Snippet extends SimpleJavaFileObject {
    final Path readme;
    final int firstLine; // README line of the block's first line
    final int headerLines; // lines of the unit before the block's first line
    final String source;

    Snippet(Path readme, int firstLine, int n, String block) {
      super(URI.create("string:///snippets/s" + n + "/Snippet.java"), Kind.SOURCE);
      this.readme = readme;
      this.firstLine = firstLine;
      boolean declaresAType = DECLARES_A_TYPE.matcher(block).find();
      String header =
          "package snippets.s"
              + n
              + ";\n"
              + IMPORTS
              + (declaresAType
                  ? ""
                  : "class Snippet {\n  static void snippet("
                      + (DEFINES_CONFIG.matcher(block).find() ? "" : "HotConfig config")
                      + ") throws Exception {\n");
      this.headerLines = (int) header.chars().filter(c -> c == '\n').count();
      this.source = header + block + (declaresAType ? "" : "\n  }\n}\n");
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return source;
    }

    String where(long line) {
      return readme + ":" + (firstLine + line - 1 - headerLines);
    }
  }

  @Test
  void everyJavaSnippetInEveryReadmeCompiles() throws Exception {
    Path root = Path.of(System.getProperty("readme.root", "..")).toAbsolutePath().normalize();
    List<Path> readmes = readmes(root);
    assertThat(readmes.stream().map(p -> root.relativize(p).toString()))
        .as("READMEs found under " + root)
        .contains(
            "README.md",
            "config-consul/README.md",
            "config-file/README.md",
            "config-schema/README.md",
            "config-testing/README.md",
            "sidecar/README.md",
            "benchmarks/README.md");
    List<Snippet> snippets = new ArrayList<>();
    for (Path readme : readmes) {
      String text = Files.readString(readme);
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        int firstLine = lineOf(text, m.start(1));
        snippets.add(
            new Snippet(root.relativize(readme), firstLine, snippets.size() + 1, m.group(1)));
      }
    }
    assertThat(snippets).as("java snippets in the READMEs").hasSizeGreaterThanOrEqualTo(10);
    assertThat(snippets.stream().map(s -> s.readme.toString()).distinct())
        .as("READMEs with java snippets")
        .contains("README.md", "config-consul/README.md", "config-testing/README.md");

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path out = Files.createTempDirectory("readme-snippets");
    boolean ok =
        compiler
            .getTask(
                null,
                null,
                diagnostics,
                List.of(
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-d",
                    out.toString(),
                    "-proc:none"),
                null,
                snippets)
            .call();
    StringBuilder errors = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() instanceof Snippet s) {
        errors
            .append(s.where(d.getLineNumber()))
            .append(": ")
            .append(d.getMessage(Locale.ROOT))
            .append('\n');
      } else if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.append(d).append('\n');
      }
    }
    assertThat(ok).as("README snippets compile:\n" + errors).isTrue();
  }

  /** READMEs whose blocks another module compiles, with the framework on its class path. */
  private static final List<String> FRAMEWORK_READMES =
      List.of("config-spring-boot/README.md", "config-microprofile/README.md");

  /**
   * The root README and every module's (one folder down) but the framework adapters', in a stable
   * order.
   */
  private static List<Path> readmes(Path root) throws IOException {
    List<Path> found = new ArrayList<>();
    found.add(root.resolve("README.md"));
    try (Stream<Path> modules = Files.list(root)) {
      modules
          .filter(Files::isDirectory)
          .map(d -> d.resolve("README.md"))
          .filter(Files::isRegularFile)
          .filter(p -> !FRAMEWORK_READMES.contains(root.relativize(p).toString()))
          .sorted()
          .forEach(found::add);
    }
    return found;
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
