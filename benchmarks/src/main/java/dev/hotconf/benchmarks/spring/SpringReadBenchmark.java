package dev.hotconf.benchmarks.spring;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigScalar;
import dev.hotconf.HotConfig;
import dev.hotconf.Setting;
import dev.hotconf.benchmarks.Documents;
import dev.hotconf.spring.HotConfigProperties;
import dev.hotconf.spring.HotConfigPropertySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The Spring Boot adapter's read paths, in a real Spring Boot 4.0 application (non-web) whose
 * {@code application} properties point hotconf at a file holding the ~200-key document of the other
 * read benchmarks ({@link Documents#yaml(int) Documents.yaml(200)}):
 *
 * <ul>
 *   <li>{@code propertySourceHotconf} vs {@code propertySourceMap}: {@code
 *       getProperty("db.pool.max")} on hotconf's live property source (from the application's
 *       environment) and on Spring's {@code MapPropertySource} over the same keys and values;
 *   <li>{@code environmentHotconfFirst} vs {@code environmentMapFirst}: {@code
 *       StandardEnvironment.getProperty} with either source first (Spring's resolver on top of the
 *       lookup); {@code environmentBootHotconf} vs {@code environmentBootMap}: the application's
 *       own environment (Boot's configuration-property resolver, hotconf first as {@code
 *       hotconf.precedence: first} puts it), and a second application without hotconf whose
 *       environment has the {@code MapPropertySource} at the same place;
 *   <li>{@code settingBean} vs {@code settingAccessor}: {@code get().max()} on the {@code
 *       Setting<Pool>} bean the context injects for a {@code @HotConfigProperties("db.pool")}
 *       record, and on an accessor made with {@code HotConfig.recordSetting} on the same config.
 * </ul>
 *
 * <p>The setup checks every variant reads the expected value. Run with {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpringReadBenchmark {
  static final String KEY = "db.pool.max";
  static final String EXPECTED = "20";

  /** The application: auto-configuration only, no component scan. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  public static class BenchApplication {}

  /** The live record, found in the application's auto-configuration package. */
  @HotConfigProperties("db.pool")
  public record Pool(int min, int max, Duration idleTimeout) {}

  Path file;
  ConfigurableApplicationContext context;
  ConfigurableApplicationContext withoutHotconf;
  PropertySource<?> hotconfSource;
  MapPropertySource mapSource;
  StandardEnvironment hotconfFirst;
  StandardEnvironment mapFirst;
  ConfigurableEnvironment bootEnvironment;
  ConfigurableEnvironment bootMapEnvironment;
  Setting<Pool> bean;
  Setting<Pool> accessor;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() throws IOException {
    file = Files.createTempFile("spring-read-", ".yaml");
    Files.writeString(file, Documents.yaml(200));
    context =
        new SpringApplicationBuilder(BenchApplication.class)
            .web(WebApplicationType.NONE)
            .run(
                "--spring.main.banner-mode=off",
                "--logging.level.root=warn",
                "--hotconf.sources[0].type=file",
                "--hotconf.sources[0].path=" + file);
    bootEnvironment = context.getEnvironment();
    hotconfSource = bootEnvironment.getPropertySources().get(HotConfigPropertySource.NAME);
    HotConfig config = context.getBean(HotConfig.class);

    Map<String, Object> flat = new HashMap<>();
    for (Map.Entry<String, ConfigNode> e : config.snapshot().values().entrySet()) {
      if (e.getValue() instanceof ConfigScalar s && !s.isNull()) {
        flat.put(e.getKey(), s.text());
      }
    }
    mapSource = new MapPropertySource("bench.yaml", flat);
    hotconfFirst = new StandardEnvironment();
    hotconfFirst.getPropertySources().addFirst(hotconfSource);
    mapFirst = new StandardEnvironment();
    mapFirst.getPropertySources().addFirst(mapSource);

    withoutHotconf =
        new SpringApplicationBuilder(BenchApplication.class)
            .web(WebApplicationType.NONE)
            .run("--spring.main.banner-mode=off", "--logging.level.root=warn");
    bootMapEnvironment = withoutHotconf.getEnvironment();
    // where hotconf's source is in the other application: right after Boot's adapter
    bootMapEnvironment
        .getPropertySources()
        .addAfter(bootEnvironment.getPropertySources().iterator().next().getName(), mapSource);

    bean =
        (Setting<Pool>)
            context
                .getBeanProvider(ResolvableType.forClassWithGenerics(Setting.class, Pool.class))
                .getObject();
    accessor = config.recordSetting("db.pool", Pool.class);

    check(propertySourceHotconf(), propertySourceMap(), environmentHotconfFirst());
    check(environmentMapFirst(), environmentBootHotconf(), environmentBootMap());
    if (settingBean() != 20 || settingAccessor() != 20) {
      throw new IllegalStateException("the records do not read 20");
    }
  }

  private static void check(Object... values) {
    for (Object v : values) {
      if (!EXPECTED.equals(v)) {
        throw new IllegalStateException("expected " + EXPECTED + " but read " + v);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    context.close();
    withoutHotconf.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public Object propertySourceHotconf() {
    return hotconfSource.getProperty(KEY);
  }

  @Benchmark
  public Object propertySourceMap() {
    return mapSource.getProperty(KEY);
  }

  @Benchmark
  public String environmentHotconfFirst() {
    return hotconfFirst.getProperty(KEY);
  }

  @Benchmark
  public String environmentMapFirst() {
    return mapFirst.getProperty(KEY);
  }

  @Benchmark
  public String environmentBootHotconf() {
    return bootEnvironment.getProperty(KEY);
  }

  @Benchmark
  public String environmentBootMap() {
    return bootMapEnvironment.getProperty(KEY);
  }

  @Benchmark
  public int settingBean() {
    return bean.get().max();
  }

  @Benchmark
  public int settingAccessor() {
    return accessor.get().max();
  }
}
