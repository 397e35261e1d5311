package dev.hotconf.benchmarks.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs FileTargetApply scaled down (5 versions) so it never rots; numbers are not checked. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FileTargetApplySmokeTest {
  @Test
  void everyVersionIsRenderedCheckedSwappedSignalledAndLoaded() throws Exception {
    FileTargetApply.Result r = FileTargetApply.run(5, 1, "true", 5);
    assertThat(r.total().count()).isEqualTo(5);
    assertThat(r.loaded().count()).isEqualTo(5);
    assertThat(r.check().p50Ms()).isPositive();
    assertThat(r.withoutCheck().maxMs()).isLessThanOrEqualTo(r.total().maxMs());
  }
}
