package dev.hotconf.benchmarks.peers;

import com.netflix.archaius.DefaultPropertyFactory;
import com.netflix.archaius.api.Property;
import com.netflix.archaius.api.PropertyFactory;
import com.netflix.archaius.config.MapConfig;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.benchmarks.Baseline;
import dev.hotconf.benchmarks.Documents;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.Sources;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.builder.ReloadingFileBasedConfigurationBuilder;
import org.apache.commons.configuration2.builder.fluent.Parameters;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.reloading.PeriodicReloadingTrigger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.yaml.snakeyaml.Yaml;

/**
 * The read path against the peers, in one run: one read of {@code db.pool.max} (an int, 20) per
 * operation from the same ~200-key document ({@link Documents#yaml(int) Documents.yaml(200)}),
 * through hotconf, the hand-written baseline (same holder as {@code ReadPathBenchmark}) and each
 * peer library used the way its documentation shows. File-based peers read the document from a temp
 * file; the others get it parsed by SnakeYAML and flattened to dotted keys (the form a YAML
 * property source hands them). Every peer is set up once per trial; only the read is measured.
 *
 * <p>Run with {@code -prof gc} for allocation and {@code -t 2} for two threads; the state is shared
 * ({@link Scope#Benchmark}), as a configuration object is in an application.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeerReadBenchmark {

  static final String KEY = "db.pool.max";
  static final int EXPECTED = 20;

  // hotconf and the baseline
  HotConfig hotconf;
  IntSetting hotconfInt;
  Baseline baseline;

  // Apache Commons Configuration 2
  Path yamlFile;
  ReloadingFileBasedConfigurationBuilder<YAMLConfiguration> commonsBuilder;
  PeriodicReloadingTrigger commonsTrigger;
  Configuration commonsHeld;

  // Netflix Archaius 2
  PropertyFactory archaiusFactory;
  Property<Integer> archaiusHeld;

  // SmallRye Config
  SmallRyeConfig smallrye;

  // Spring Framework
  StandardEnvironment springFirst;
  StandardEnvironment springLast;

  // Lightbend (Typesafe) Config
  com.typesafe.config.Config typesafe;

  @Setup(Level.Trial)
  public void setUp() throws IOException, ConfigurationException {
    String document = Documents.yaml(200);

    hotconf =
        HotConfig.builder()
            .name("bench")
            .source(Sources.text("bench.yaml", ConfigFormat.YAML, document))
            .build();
    hotconfInt = hotconf.intSetting(KEY, 1);
    baseline = new Baseline();
    baseline.current = new Baseline.Holder(hotconf.snapshot(), hotconf.snapshot().getInt(KEY));

    // Commons Configuration: a file-based reloading builder, checked every second by the
    // periodic trigger, as the user guide's "Automatic Reloading" section shows.
    yamlFile = Files.createTempFile("peer-read-", ".yaml");
    Files.writeString(yamlFile, document, StandardCharsets.UTF_8);
    commonsBuilder =
        new ReloadingFileBasedConfigurationBuilder<>(YAMLConfiguration.class)
            .configure(new Parameters().fileBased().setFile(yamlFile.toFile()));
    commonsTrigger =
        new PeriodicReloadingTrigger(
            commonsBuilder.getReloadingController(), null, 1, TimeUnit.SECONDS);
    commonsTrigger.start();
    commonsHeld = commonsBuilder.getConfiguration();

    Map<String, Object> tree = new Yaml().load(document);
    Map<String, String> flat = new LinkedHashMap<>();
    flatten("", tree, flat);

    // Archaius 2: a DefaultPropertyFactory over a MapConfig.
    archaiusFactory = DefaultPropertyFactory.from(MapConfig.from(flat));
    archaiusHeld = archaiusFactory.get(KEY, Integer.class).orElse(0);

    // SmallRye Config: one properties source, built-in converters.
    smallrye =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(flat, "bench.yaml", 100))
            .build();

    // Spring: StandardEnvironment (system properties + environment) plus a MapPropertySource,
    // once first (best case: the first source answers) and once last (Spring Boot's order, where
    // application.yml ranks below system properties and environment variables).
    springFirst = new StandardEnvironment();
    springFirst
        .getPropertySources()
        .addFirst(new MapPropertySource("bench.yaml", new LinkedHashMap<>(flat)));
    springLast = new StandardEnvironment();
    springLast
        .getPropertySources()
        .addLast(new MapPropertySource("bench.yaml", new LinkedHashMap<>(flat)));

    // Lightbend Config: the parsed tree (typed values kept).
    typesafe = com.typesafe.config.ConfigFactory.parseMap(tree, "bench.yaml").resolve();

    check("baselineHolder", baselineHolder());
    check("hotconfInt", hotconfInt());
    check("commonsReloadingBuilder", commonsReloadingBuilder());
    check("commonsHeldConfiguration", commonsHeldConfiguration());
    check("archaiusHeldProperty", archaiusHeldProperty());
    check("archaiusFactoryPerCall", archaiusFactoryPerCall());
    check("smallryeGetValue", smallryeGetValue());
    check("springEnvironmentFirst", springEnvironmentFirst());
    check("springEnvironmentLast", springEnvironmentLast());
    check("typesafeGetInt", typesafeGetInt());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (commonsTrigger != null) {
      commonsTrigger.shutdown();
    }
    if (hotconf != null) {
      hotconf.close();
    }
    if (yamlFile != null) {
      Files.deleteIfExists(yamlFile);
    }
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> node, Map<String, String> out) {
    node.forEach(
        (k, v) -> {
          String key = prefix.isEmpty() ? k : prefix + "." + k;
          if (v instanceof Map<?, ?> m) {
            flatten(key, (Map<String, Object>) m, out);
          } else {
            out.put(key, String.valueOf(v));
          }
        });
  }

  private static void check(String name, int value) {
    if (value != EXPECTED) {
      throw new IllegalStateException(name + " read " + value + ", expected " + EXPECTED);
    }
  }

  // ---- hotconf and the baseline (same code as ReadPathBenchmark, repeated so one run compares)

  @Benchmark
  public int baselineHolder() {
    return baseline.get();
  }

  @Benchmark
  public int hotconfInt() {
    return hotconfInt.getAsInt();
  }

  // ---- Apache Commons Configuration 2.15.1

  /** What the reloading docs recommend: ask the builder for the current configuration per read. */
  @Benchmark
  public int commonsReloadingBuilder() {
    try {
      return commonsBuilder.getConfiguration().getInt(KEY);
    } catch (ConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A held configuration: faster, but it never sees a reload. */
  @Benchmark
  public int commonsHeldConfiguration() {
    return commonsHeld.getInt(KEY);
  }

  // ---- Netflix Archaius 2.8.8

  @Benchmark
  public int archaiusHeldProperty() {
    return archaiusHeld.get();
  }

  @Benchmark
  @SuppressWarnings("deprecation")
  public int archaiusFactoryPerCall() {
    return archaiusFactory.getProperty(KEY).asInteger(0).get();
  }

  // ---- SmallRye Config

  @Benchmark
  public int smallryeGetValue() {
    return smallrye.getValue(KEY, Integer.class);
  }

  // ---- Spring Framework (spring-core Environment)

  @Benchmark
  public int springEnvironmentFirst() {
    return springFirst.getProperty(KEY, Integer.class);
  }

  @Benchmark
  public int springEnvironmentLast() {
    return springLast.getProperty(KEY, Integer.class);
  }

  // ---- Lightbend Config

  @Benchmark
  public int typesafeGetInt() {
    return typesafe.getInt(KEY);
  }
}
