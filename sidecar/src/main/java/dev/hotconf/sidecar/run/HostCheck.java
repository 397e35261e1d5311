package dev.hotconf.sidecar.run;

import java.util.Locale;

/**
 * Which {@code Host} names a server without a token answers (DNS rebinding): a web page on a name
 * its owner points at 127.0.0.1 is same-origin with that name, so the browser lets its script read
 * the answers of a loopback server. Such a request still names the attacker's host. Accepted:
 * {@code localhost} and names under {@code .localhost} (browsers resolve them to loopback
 * themselves, RFC 6761), and IP addresses, which no DNS answer can stand for; a request without
 * Host (HTTP/1.0). Anything else is answered 421. Stateless.
 */
final class HostCheck {
  private HostCheck() {}

  /**
   * {@code host}: lower case, without port, IPv6 in brackets, or null when the request has none.
   */
  static boolean allowedWithoutToken(String host) {
    if (host == null) {
      return true;
    }
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    h = h.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || (h.endsWith(".localhost") && h.length() > ".localhost".length())) {
      return true;
    }
    return (h.startsWith("[") && h.endsWith("]") && h.length() > 2) || isIpv4(h);
  }

  /** Four decimal numbers 0-255 without leading zeros, as browsers send IPv4 addresses. */
  static boolean isIpv4(String h) {
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < p.length(); i++) {
        if (p.charAt(i) < '0' || p.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
