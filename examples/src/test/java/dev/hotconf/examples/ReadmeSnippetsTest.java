package dev.hotconf.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.testing.docs.ReadmeSnippets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every {@code ```java} block in README.md must compile against the project's classes. A block is
 * compiled as the body of a method (local records allowed) with the imports below, {@code config}
 * in scope. The framework modules' READMEs are compiled by the examples/spring-boot module, which
 * has Spring and MicroProfile on its class path.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReadmeSnippetsTest {

  @Test
  void everyJavaSnippetInTheReadmeCompiles() throws Exception {
    ReadmeSnippets readme =
        ReadmeSnippets.of(Path.of(System.getProperty("readme.path", "../README.md")))
            .imports(
                "dev.hotconf.*",
                "dev.hotconf.bind.*",
                "dev.hotconf.consul.*",
                "dev.hotconf.file.*",
                "dev.hotconf.parse.*",
                "dev.hotconf.settings.*",
                "dev.hotconf.source.*",
                "dev.hotconf.validate.*",
                "java.nio.file.*",
                "java.time.*",
                "java.util.*",
                "java.util.function.*")
            .method("static void snippet(HotConfig config) throws Exception");
    assertThat(readme.count()).as("java snippets in README.md").isGreaterThanOrEqualTo(3);
    assertThat(readme.compile(System.getProperty("java.class.path"))).isEmpty();
  }
}
