package dev.hotconf.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.testing.docs.ReadmeSnippets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every {@code ```java} block of the framework modules' READMEs compiles against config-spring-boot
 * (with Spring Boot, Jakarta Validation) and config-microprofile (with the MicroProfile Config
 * API). The root README's blocks are compiled by the examples module.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FrameworkReadmeSnippetsTest {
  private static final String[] IMPORTS = {
    "dev.hotconf.*",
    "dev.hotconf.spring.*",
    "dev.hotconf.microprofile.*",
    "jakarta.validation.Valid",
    "jakarta.validation.constraints.*",
    "java.time.*",
    "java.util.*",
    "java.util.function.*",
    "org.eclipse.microprofile.config.Config",
    "org.eclipse.microprofile.config.ConfigProvider",
    "org.eclipse.microprofile.config.inject.ConfigProperty",
    "org.springframework.beans.factory.annotation.Value",
    "org.springframework.boot.context.properties.ConfigurationProperties",
    "org.springframework.context.annotation.Configuration",
    "org.springframework.context.event.EventListener",
    "org.springframework.core.env.Environment",
    "org.springframework.stereotype.Component",
    "org.springframework.stereotype.Service",
  };

  private static Path root() {
    return Path.of(System.getProperty("project.root", "../.."));
  }

  @Test
  void springBootReadmeSnippetsCompile() throws Exception {
    ReadmeSnippets readme =
        ReadmeSnippets.of(root().resolve("config-spring-boot/README.md")).imports(IMPORTS);
    assertThat(readme.count()).isGreaterThanOrEqualTo(3);
    assertThat(readme.compile(System.getProperty("java.class.path"))).isEmpty();
  }

  @Test
  void microProfileReadmeSnippetsCompile() throws Exception {
    ReadmeSnippets readme =
        ReadmeSnippets.of(root().resolve("config-microprofile/README.md")).imports(IMPORTS);
    assertThat(readme.count()).isGreaterThanOrEqualTo(2);
    assertThat(readme.compile(System.getProperty("java.class.path"))).isEmpty();
  }
}
