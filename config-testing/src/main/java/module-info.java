/**
 * Test doubles for hotconf: the Consul KV double, the ways tools replace a file, and the compiler
 * of README snippets.
 */
module dev.hotconf.testing {
  requires transitive org.junit.jupiter.api;
  requires jdk.httpserver;
  requires java.compiler;

  exports dev.hotconf.testing.consul;
  exports dev.hotconf.testing.files;
  exports dev.hotconf.testing.docs;
}
