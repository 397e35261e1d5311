/**
 * {@link dev.hotconf.testing.consul.ConsulTestServer}: an in-process, protocol-faithful double of
 * Consul's KV HTTP API for tests, with blocking queries, ACL tokens, a request log, declarative
 * {@link dev.hotconf.testing.consul.Fault faults} and a JUnit 5 extension ({@link
 * dev.hotconf.testing.consul.ConsulTestServerExtension}).
 *
 * <p>Unless stated otherwise, types in this package are thread-safe, reject {@code null} arguments
 * with {@link java.lang.NullPointerException} and never return {@code null}.
 */
package dev.hotconf.testing.consul;
