/**
 * The sidecar's own HTTP/1.1 server: one selector thread, strict request parsing, a connection cap,
 * request, idle and send timeouts, exchanges that can be answered later from any thread (long polls
 * park without holding a thread), optional TLS. Internal to the sidecar: not an API, other modules
 * must not import it. Why not the JDK's {@code com.sun.net.httpserver}: see the sidecar README's
 * "HTTP server" section.
 */
package dev.hotconf.sidecar.internal.http;
