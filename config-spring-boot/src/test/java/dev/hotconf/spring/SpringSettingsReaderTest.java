package dev.hotconf.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** hotconf.* out of Spring's property sources: relaxed names, precedence, placeholders. */
class SpringSettingsReaderTest {

  @Test
  void environmentVariablesAndOtherSourcesMergeAndTheFirstSourceWins() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources()
        .addFirst(
            new MapPropertySource(
                "args",
                Map.of(
                    "hotconf.start-timeout", "${boot.timeout:12s}",
                    "hotconf.sources[0].debounce", "50ms")));
    // as the process environment is (Spring maps HOTCONF_SOURCES_0_PATH for this source's name)
    env.getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(
                    "HOTCONF_SOURCES_0_TYPE", "file",
                    "HOTCONF_SOURCES_0_PATH", "/etc/app/app.yaml",
                    "HOTCONF_STRICT", "true",
                    "UNRELATED", "x")));
    env.getPropertySources()
        .addLast(new MapPropertySource("defaults", Map.of("hotconf.start-timeout", "99s")));
    assertThat(SpringSettingsReader.anySet(env)).isTrue();

    ConfigObject hotconf = SpringSettingsReader.read(env);
    assertThat(hotconf.unwrapped())
        .isEqualTo(
            Map.of(
                "start-timeout",
                "12s",
                "strict",
                true,
                "sources",
                java.util.List.of(
                    Map.of("type", "file", "path", "/etc/app/app.yaml", "debounce", "50ms"))));
    ConfigObject source = (ConfigObject) ((ConfigList) hotconf.get("sources")).get(0);
    assertThat(source.get("path").origin().toString()).contains("HOTCONF_SOURCES_0_PATH");
  }

  @Test
  void nothingSetAndUnresolvablePlaceholders() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("app", Map.of("other.key", "1")));
    assertThat(SpringSettingsReader.anySet(env)).isFalse();

    env.getPropertySources()
        .addFirst(new MapPropertySource("bad", Map.of("hotconf.schema", "${nowhere}/s.json")));
    assertThatThrownBy(() -> SpringSettingsReader.read(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("hotconf.schema: Could not resolve placeholder 'nowhere'");
  }
}
