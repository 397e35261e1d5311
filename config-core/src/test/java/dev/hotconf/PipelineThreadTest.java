package dev.hotconf;

import static dev.hotconf.TestConfigs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An idle HotConfig holds no pipeline thread, and the next change still goes live. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineThreadTest {

  @Test
  void thePipelineThreadEndsWhenIdleAndANewChangeStillGoesLive() {
    MemorySource source = yaml("app", "n: 0\n");
    try (HotConfig config = HotConfig.builder().name("idle-pipeline").source(source).build()) {
      source.update(ConfigFormat.YAML, "n: 1\n");
      await().until(() -> config.snapshot().getInt("n") == 1);

      await()
          .atMost(Pipeline.PIPELINE_IDLE.plus(Duration.ofSeconds(20)))
          .until(() -> pipelineThreads() == 0);

      source.update(ConfigFormat.YAML, "n: 2\n");
      await().until(() -> config.snapshot().getInt("n") == 2);
      assertThat(config.version()).isEqualTo(3);
    }
  }

  private static long pipelineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("hotconf-idle-pipeline-pipeline"))
        .count();
  }
}
