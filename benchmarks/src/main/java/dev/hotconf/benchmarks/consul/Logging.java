package dev.hotconf.benchmarks.consul;

/** JVM-wide settings the programs apply in {@code main} unless given with {@code -D}. */
final class Logging {
  private Logging() {}

  /**
   * slf4j-simple at WARN: hotconf logs every published version at INFO, and 1,000 clients writing a
   * line each to stderr per change would measure the terminal, not the library.
   *
   * <p>{@code sun.net.httpserver.nodelay=true}: the JDK HTTP server behind {@code ConsulTestServer}
   * leaves Nagle's algorithm on, which together with the client's delayed ACK adds ~40 ms to every
   * blocking-query answer on Linux loopback. Real Consul (Go {@code net/http}) sets TCP_NODELAY.
   * Pass {@code -Dsun.net.httpserver.nodelay=false} to see the double's default behaviour.
   */
  static void quiet() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }
}
