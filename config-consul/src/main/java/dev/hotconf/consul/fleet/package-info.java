/**
 * Fleet acknowledgements over Consul: every instance writes what it runs ({@link
 * dev.hotconf.consul.fleet.Ack}) to {@code hotconf/acks/<app>/<instance>} with a {@link
 * dev.hotconf.consul.fleet.ConsulAcknowledger}, under a TTL session so a dead instance's record
 * disappears; {@link dev.hotconf.consul.fleet.FleetStatus} reads them back and tells which
 * instances run the current version, which rejected it and why, which are pinned or behind.
 */
package dev.hotconf.consul.fleet;
