package dev.hotconf.testing.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The JUnit 5 extension's lifecycle, checked by running small test classes through the JUnit test
 * kit.
 */
@Timeout(60)
class ConsulTestServerExtensionTest {

  /** Servers seen by the sample classes below, in order. */
  static final List<ConsulTestServer> SEEN = new CopyOnWriteArrayList<>();

  /**
   * Whether a server was still running in a sample's @AfterAll (after the per-test server should be
   * closed).
   */
  static final List<Boolean> RUNNING_IN_AFTER_ALL = new CopyOnWriteArrayList<>();

  @BeforeEach
  void clear() {
    SEEN.clear();
    RUNNING_IN_AFTER_ALL.clear();
  }

  @Test
  void instanceFieldGivesEachTestItsOwnServerClosedAfterTheTest() {
    Events stats = run(PerTestSample.class);

    stats.assertStatistics(s -> s.succeeded(2).failed(0));
    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
    assertThat(SEEN).noneMatch(ConsulTestServer::isRunning);
    assertThat(RUNNING_IN_AFTER_ALL).containsExactly(false);
  }

  @Test
  void staticFieldSharesOneServerWithTheClassAndItsNestedClasses() {
    Events stats = run(PerClassSample.class);

    stats.assertStatistics(s -> s.succeeded(3).failed(0));
    assertThat(SEEN).hasSize(3);
    assertThat(SEEN).allMatch(s -> s == SEEN.get(0));
    assertThat(SEEN.get(0).isRunning()).as("closed after the class").isFalse();
    assertThat(RUNNING_IN_AFTER_ALL).containsExactly(true, true);
  }

  @Test
  void serverIsInjectedAsAParameter() {
    Events stats = run(ParameterSample.class);

    stats.assertStatistics(s -> s.succeeded(1).failed(0));
    assertThat(SEEN).hasSize(1);
    assertThat(SEEN.get(0).isRunning()).isFalse();
  }

  private static Events run(Class<?> sample) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(sample))
        .execute()
        .testEvents();
  }

  // ---------------------------------------------------------------- samples (not run by Surefire:
  // nested)

  static class PerTestSample {
    @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

    @Test
    void first() throws Exception {
      use(consul.server());
    }

    @Test
    void second() throws Exception {
      use(consul.server());
    }

    @AfterAll
    static void afterAll() {
      RUNNING_IN_AFTER_ALL.add(SEEN.stream().anyMatch(ConsulTestServer::isRunning));
    }
  }

  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class PerClassSample {
    @RegisterExtension
    static final ConsulTestServerExtension CONSUL = new ConsulTestServerExtension();

    @Test
    void a() throws Exception {
      CONSUL.server().put("shared", "from a");
      use(CONSUL.server());
    }

    @Test
    void b() throws Exception {
      assertThat(CONSUL.server().get("shared")).as("state is shared within the class").isPresent();
      use(CONSUL.server());
    }

    @Nested
    class Inner {
      @Test
      void c() throws Exception {
        use(CONSUL.server());
      }

      @AfterAll
      static void innerAfterAll() {
        RUNNING_IN_AFTER_ALL.add(CONSUL.server().isRunning());
      }
    }

    @AfterAll
    static void afterAll() {
      RUNNING_IN_AFTER_ALL.add(CONSUL.server().isRunning());
    }
  }

  static class ParameterSample {
    @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

    @Test
    void injected(ConsulTestServer server) throws Exception {
      assertThat(server).isSameAs(consul.server());
      use(server);
    }
  }

  private static void use(ConsulTestServer server) throws Exception {
    assertThat(server.isRunning()).isTrue();
    server.put("k", "v");
    assertThat(new ConsulHttp(server).get("/v1/kv/k").statusCode()).isEqualTo(200);
    SEEN.add(server);
  }
}
