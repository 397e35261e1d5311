/**
 * A hotconf {@link dev.hotconf.source.ConfigSource} over Consul KV: {@link
 * dev.hotconf.consul.ConsulSource}, configured by {@link dev.hotconf.consul.ConsulSourceConfig}.
 * Everything in {@code dev.hotconf.consul.internal} is implementation, not API.
 */
package dev.hotconf.consul;
