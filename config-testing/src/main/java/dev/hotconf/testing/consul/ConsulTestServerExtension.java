package dev.hotconf.testing.consul;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension running a {@link ConsulTestServer}.
 *
 * <pre>{@code
 * // one server per test method (started before @BeforeEach methods, closed after @AfterEach methods):
 * @RegisterExtension
 * final ConsulTestServerExtension consul = new ConsulTestServerExtension();
 *
 * // one server for the whole class (and its @Nested classes), closed after @AfterAll:
 * @RegisterExtension
 * static final ConsulTestServerExtension consul =
 *         new ConsulTestServerExtension(ConsulTestServer.builder().jitter(false));
 *
 * @Test
 * void reloads() {
 *     consul.server().put("config/a", "1");
 * }
 * }</pre>
 *
 * <p>Test and lifecycle methods may also declare a {@link ConsulTestServer} parameter to receive
 * the current server. A class-wide server keeps its state between tests; call {@link
 * ConsulTestServer#reset()} where that matters.
 *
 * <p><b>Threading:</b> thread-safe; with a static field the single server is shared by tests
 * running in parallel. An instance field on a {@code @TestInstance(PER_CLASS)} class gets one
 * server per test method, which is not meant for methods of that one instance running concurrently.
 * <b>Nulls:</b> no method accepts or returns {@code null}.
 */
public final class ConsulTestServerExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  private final ConsulTestServer.Builder builder;
  private ConsulTestServer server;

  /**
   * Nesting depth of class-level registration (static field, possibly seen again by @Nested
   * classes).
   */
  private int classDepth;

  /** Servers with Consul's defaults. */
  public ConsulTestServerExtension() {
    this(ConsulTestServer.builder());
  }

  /** Servers built from {@code builder}. */
  public ConsulTestServerExtension(ConsulTestServer.Builder builder) {
    this.builder = Objects.requireNonNull(builder, "builder");
  }

  /**
   * The running server of the current test (or class).
   *
   * @throws IllegalStateException outside the extension's lifecycle
   */
  public synchronized ConsulTestServer server() {
    if (server == null) {
      throw new IllegalStateException(
          "no ConsulTestServer is running: use server() inside a test or a "
              + "lifecycle method of a class that registers this extension with @RegisterExtension");
    }
    return server;
  }

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    if (classDepth++ == 0) {
      server = builder.build().start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ConsulTestServer toClose = null;
    synchronized (this) {
      if (--classDepth == 0) {
        toClose = server;
        server = null;
      }
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    if (classDepth == 0) {
      server = builder.build().start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ConsulTestServer toClose = null;
    synchronized (this) {
      if (classDepth == 0) {
        toClose = server;
        server = null;
      }
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == ConsulTestServer.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return server();
  }
}
