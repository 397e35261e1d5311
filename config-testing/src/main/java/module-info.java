/** Test doubles for hotconf: the Consul KV double and the ways tools replace a file. */
module dev.hotconf.testing {
  requires transitive org.junit.jupiter.api;
  requires jdk.httpserver;

  exports dev.hotconf.testing.consul;
  exports dev.hotconf.testing.files;
}
