package dev.hotconf.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.util.ClassUtils;

/**
 * These tests run twice: in config-spring-boot against Boot 3.5, and in config-spring-boot/boot4
 * against Boot 4.0. This checks that each run is on the line it claims, with the types that differ
 * between the lines where hotconf expects them.
 */
class BootLineTest {
  private static final ClassLoader LOADER = BootLineTest.class.getClassLoader();

  @Test
  void runsOnTheExpectedBootLine() {
    String major = System.getProperty("test.boot.major", "3");
    assertThat(SpringBootVersion.getVersion()).startsWith(major + ".");
    boolean boot4 = major.equals("4");
    // the health API moved in 4.0; each line has exactly one of the two
    assertThat(present("org.springframework.boot.actuate.health.HealthIndicator"))
        .isEqualTo(!boot4);
    assertThat(present("org.springframework.boot.health.contributor.HealthIndicator"))
        .isEqualTo(boot4);
    // EnvironmentPostProcessor moved in 4.0 (hotconf uses a listener, the same on both)
    assertThat(present("org.springframework.boot.EnvironmentPostProcessor")).isEqualTo(boot4);
  }

  private static boolean present(String name) {
    return ClassUtils.isPresent(name, LOADER);
  }
}
