package dev.hotconf.benchmarks.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.benchmarks.sidecar.SidecarHarness.WriteMode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the in-process sidecar programs scaled down (3 changes, 5 targets) so they never rot. The
 * numbers are not checked against targets: CI machines are too noisy for that.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SidecarProgramsSmokeTest {

  @Test
  void propagationDeliversEveryChangeBothWays() throws Exception {
    for (WriteMode mode : WriteMode.values()) {
      SidecarPropagation.Result r = SidecarPropagation.run(3, mode, 0, 250, 400, 5_000, 1);
      assertThat(r.timedOut()).as(mode.name()).isZero();
      assertThat(r.latencies().count()).isEqualTo(3);
      assertThat(r.latencies().p50Ms()).isPositive();
      assertThat(r.versionsDelivered()).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void fanOutReachesEveryTarget() throws Exception {
    SidecarFanOut.Result r = SidecarFanOut.run(5, 5, 3, WriteMode.RENAME, 0, 250, 400, 5_000, 1);
    assertThat(r.timedOut()).isZero();
    assertThat(r.last().count()).isEqualTo(3);
    assertThat(r.perTarget().count()).isEqualTo(15);
    assertThat(r.last().maxMs()).isGreaterThanOrEqualTo(r.first().maxMs());
    assertThat(r.minVersions()).isEqualTo(4);
  }

  @Test
  void commandTimeTimesACommand() throws Exception {
    String javaBin =
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    CommandTime.main(new String[] {"command=" + javaBin + " -version", "runs=2", "warmup=0"});
  }
}
