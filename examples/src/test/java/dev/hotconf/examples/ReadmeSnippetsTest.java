package dev.hotconf.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every {@code ```java} block in README.md must compile against the project's classes. A block is
 * compiled as the body of a method (local records allowed) with the imports below.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReadmeSnippetsTest {
  private static final String IMPORTS =
      String.join(
          "\n",
          "import dev.hotconf.*;",
          "import dev.hotconf.bind.*;",
          "import dev.hotconf.consul.*;",
          "import dev.hotconf.file.*;",
          "import dev.hotconf.parse.*;",
          "import dev.hotconf.settings.*;",
          "import dev.hotconf.source.*;",
          "import dev.hotconf.validate.*;",
          "import java.nio.file.*;",
          "import java.time.*;",
          "import java.util.*;",
          "import java.util.function.*;",
          "");

  @Test
  void everyJavaSnippetInTheReadmeCompiles() throws Exception {
    Path readme = Path.of(System.getProperty("readme.path", "../README.md"));
    String text = Files.readString(readme);
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
    List<JavaFileObject> units = new ArrayList<>();
    int n = 0;
    while (m.find()) {
      n++;
      String source =
          IMPORTS
              + "class Snippet"
              + n
              + " {\n  static void snippet(HotConfig config) throws Exception {\n"
              + m.group(1)
              + "\n  }\n}\n";
      String name = "Snippet" + n;
      units.add(
          new SimpleJavaFileObject(
              URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return source;
            }
          });
    }
    assertThat(n).as("java snippets in README.md").isGreaterThanOrEqualTo(3);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    Path out = Files.createTempDirectory("readme-snippets");
    boolean ok =
        compiler
            .getTask(
                errors,
                null,
                null,
                List.of(
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-d",
                    out.toString(),
                    "-proc:none"),
                null,
                units)
            .call();
    assertThat(ok).as("README snippets compile:\n" + errors).isTrue();
  }
}
