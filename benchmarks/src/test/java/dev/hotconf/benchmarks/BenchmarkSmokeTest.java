package dev.hotconf.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.benchmarks.peers.PeerReadBenchmark;
import dev.hotconf.benchmarks.spring.SpringReadBenchmark;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** One very short iteration of every benchmark, in-process, so the benchmarks never rot. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BenchmarkSmokeTest {

  @Test
  void everyBenchmarkRunsOnce() throws Exception {
    Options options =
        new OptionsBuilder()
            .include(ReadPathBenchmark.class.getName())
            .include(AccessorShapeBenchmark.class.getName())
            .include(PeerReadBenchmark.class.getName())
            .include(ReloadBenchmark.class.getName())
            .include(SpringReadBenchmark.class.getName())
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(10))
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    // ReloadBenchmark: reload and parseOnly for 10, 1,000 and 10,000 keys
    assertThat(results).hasSizeGreaterThanOrEqualTo(12 + 5 + 10 + 2 * 3 + 8);
    results.forEach(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }
}
