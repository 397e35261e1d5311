package dev.hotconf.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FileSourceConfigTest {

  @Test
  void defaults() {
    FileSourceConfig d = FileSourceConfig.defaults();
    assertThat(d.debounce()).isEqualTo(Duration.ofMillis(200));
    assertThat(d.maxWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.renameWindow()).isEqualTo(Duration.ofMillis(25));
    assertThat(d.rescanInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.format()).isEmpty();
    assertThat(d.parseLimits()).isSameAs(ParseLimits.defaults());
    assertThat(d.fastRenamePath()).isTrue();
  }

  @Test
  void inputsAreCheckedWhenGiven() {
    FileSourceConfig.Builder b = FileSourceConfig.builder();
    assertThatThrownBy(() -> b.debounce(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("debounce must be >= 0 but was -5ms");
    assertThatThrownBy(() -> b.maxWait(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxWait must be > 0 but was 0ms");
    assertThatThrownBy(() -> b.renameWindow(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("renameWindow must be >= 0 but was -1ms");
    assertThatThrownBy(() -> b.rescanInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rescanInterval must be >= 0 but was -1ms");
    assertThatThrownBy(() -> b.rescanInterval(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("rescanInterval must be 0 (off) or >= 10ms");
    assertThatThrownBy(() -> b.debounce(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("debounce");
    assertThatThrownBy(() -> b.format(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("format");
    assertThatThrownBy(() -> b.parseLimits(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> FileSourceConfig.builder().debounce(Duration.ofSeconds(3)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxWait must be >= debounce (3000ms) but was 2000ms");
  }

  @Test
  void renameWindowNotShorterThanDebounceTurnsTheFastPathOff() {
    assertThat(
            FileSourceConfig.builder()
                .debounce(Duration.ofMillis(20))
                .renameWindow(Duration.ofMillis(20))
                .build()
                .fastRenamePath())
        .isFalse();
    assertThat(FileSourceConfig.builder().rescanInterval(Duration.ZERO).build().rescanInterval())
        .isZero();
  }

  @Test
  void toBuilderKeepsEverything() {
    FileSourceConfig c =
        FileSourceConfig.builder()
            .debounce(Duration.ofMillis(50))
            .format(ConfigFormat.JSON)
            .build();
    FileSourceConfig copy = c.toBuilder().build();
    assertThat(copy.debounce()).isEqualTo(Duration.ofMillis(50));
    assertThat(copy.format()).contains(ConfigFormat.JSON);
    assertThat(c.toString()).contains("debounce=50ms").contains("format=JSON");
  }

  @Test
  void factoriesCheckTheirArguments() {
    assertThatThrownBy(() -> FileSource.watching(Path.of("/etc/app.conf")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot tell the format of 'app.conf'");
    assertThat(
            FileSource.watching(
                    Path.of("/etc/app.conf"),
                    FileSourceConfig.builder().format(ConfigFormat.PROPERTIES).build())
                .path())
        .isEqualTo(Path.of("/etc/app.conf"));
    assertThatThrownBy(() -> FileSource.watching(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> FileSource.directory(Path.of("/x"), null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> FileSource.watching(Path.of("/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no file");
  }

  @Test
  void relativePathsAreMadeAbsoluteOnceAgainstTheWorkingDirectory() {
    FileSource s = FileSource.watching(Path.of("conf", "..", "app.yaml"));
    Path expected = Path.of(System.getProperty("user.dir")).resolve("app.yaml").normalize();
    assertThat(s.path()).isAbsolute().isEqualTo(expected);
    assertThat(s.name()).isEqualTo("file:" + expected);
    assertThat(FileSource.directory(Path.of("conf.d")).path()).isAbsolute();
  }
}
