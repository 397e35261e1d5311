package dev.hotconf.benchmarks;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.parse.ConfigFormat;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one reload: {@code reload} pushes a YAML document of {@code keys} leaves into a
 * {@link ReloadFixture} (six rules, five accessors, a change listener and a value listener) and
 * waits until the change listener has heard the new version: parse, merge, validate, convert, diff,
 * publish and notify. Each invocation alternates between two documents that differ in a few values,
 * so every one publishes a new version. {@code parseOnly} is the parse step alone, for the
 * breakdown.
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} counts the bytes allocated on every
 * thread (JMH 1.37 reads the JVM's total allocated bytes), so the pipeline and listener threads'
 * allocations are included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class ReloadBenchmark {

  @Param({"10", "1000", "10000"})
  int keys;

  ReloadFixture fixture;
  byte[] text;
  ConfigOrigin origin;

  @Setup(Level.Trial)
  public void setUp() {
    Args.quiet();
    fixture = ReloadFixture.alternating("reload-bench", keys);
    text = Documents.service(keys, 1).getBytes(StandardCharsets.UTF_8);
    origin = ConfigOrigin.of("bench.yaml", "bench.yaml");
    int leaves = fixture.config().snapshot().values().size();
    if (leaves != keys) {
      throw new IllegalStateException("the document has " + leaves + " keys, not " + keys);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fixture.close();
  }

  @Benchmark
  public long reload() {
    return fixture.reload();
  }

  @Benchmark
  public ConfigObject parseOnly() {
    return ConfigFormat.YAML.parse(text, origin);
  }
}
