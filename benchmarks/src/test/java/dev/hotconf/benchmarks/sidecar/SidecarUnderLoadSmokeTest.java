package dev.hotconf.benchmarks.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link SidecarUnderLoad} scaled down (10 + 10 connections, 20 polls, 20 samples) on the jar
 * built by the sidecar module, so that the program never rots. The numbers are not checked against
 * targets: CI machines are too noisy for that.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SidecarUnderLoadSmokeTest {
  @Test
  void measuresUnderLoadAndStops() throws Exception {
    SidecarUnderLoad.Result r =
        SidecarUnderLoad.run(
            Path.of("../sidecar/target/hotconf.jar").toAbsolutePath(), "64m", 10, 10, 20, 20);
    assertThat(r.healthzLoaded().count()).isEqualTo(20);
    assertThat(r.configLoaded().count()).isEqualTo(20);
    assertThat(r.pollsAnswered()).isEqualTo(20);
    assertThat(r.loadOpen()).isEqualTo(40);
    assertThat(r.exitCode()).isZero();
    assertThat(r.rssLoadedKb()).isPositive();
  }
}
