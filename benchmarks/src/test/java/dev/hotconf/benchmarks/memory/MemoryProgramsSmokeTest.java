package dev.hotconf.benchmarks.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the memory programs scaled down (a few thousand reloads of a 100-key document, seconds) so
 * they never rot, and shows the growth check can fail: a listener that keeps every change is a leak
 * it must report. Absolute sizes are not asserted: they belong to the measured reports.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemoryProgramsSmokeTest {

  @Test
  void heapStaysFlatOverReloadsWithAccessorsAndListenersComingAndGoing() {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    MemoryOverTime.Result r =
        MemoryOverTime.run(
            2_000,
            500,
            100,
            2L << 20,
            false,
            new PrintStream(progress, true, StandardCharsets.UTF_8));

    assertThat(r.samples()).hasSize(5);
    assertThat(r.grows()).as(MemoryOverTime.report(r)).isFalse();
    assertThat(r.reloads()).isEqualTo(2_500); // 500 warm-up reloads, then 2,000
    assertThat(r.poolChanges()).as("the value listener heard every reload").isEqualTo(r.reloads());
    assertThat(r.temporaries()).isEqualTo(20);
    assertThat(MemoryOverTime.report(r)).contains("| 2,000 |").contains("flat");
  }

  @Test
  void aListenerThatKeepsEveryChangeIsReportedAsGrowth() {
    MemoryOverTime.Result r =
        MemoryOverTime.run(
            500,
            125,
            100,
            2L << 20,
            true,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(r.grows()).as(MemoryOverTime.report(r)).isTrue();
    assertThat(r.slopeBytes())
        .isGreaterThan(125 * 10_000.0); // each kept snapshot of 100 keys is tens of KB
  }

  @Test
  void aSnapshotHoldsOnlyItself() {
    SnapshotSize.Result r = SnapshotSize.run(100, 20);

    assertThat(r.holdsOnlyItself()).isTrue();
    assertThat(r.snapshotsInGraph()).isEqualTo(1);
    assertThat(r.jolBytes()).isPositive();
    assertThat(r.heapDeltaPerSnapshot()).isPositive();
  }
}
