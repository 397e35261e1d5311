/**
 * Test doubles for hotconf: the Consul KV double, the ways tools replace a file, the compiler of
 * README snippets, and stand-in processes.
 */
module dev.hotconf.testing {
  requires transitive org.junit.jupiter.api;
  requires jdk.httpserver;
  requires jdk.unsupported;
  requires java.compiler;

  exports dev.hotconf.testing.consul;
  exports dev.hotconf.testing.files;
  exports dev.hotconf.testing.docs;
  exports dev.hotconf.testing.process;
  exports dev.hotconf.testing.time;
}
