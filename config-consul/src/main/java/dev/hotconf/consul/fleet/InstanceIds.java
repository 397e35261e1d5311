package dev.hotconf.consul.fleet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Default instance IDs: the host name plus a short suffix derived from the host name and a
 * discriminator (the sidecar's config file, the library's working directory and main class), so
 * that an instance keeps its ID across restarts and two instances on one host get different IDs. In
 * a Kubernetes pod the host name is the pod name.
 *
 * <p>Thread-safe; stateless.
 */
public final class InstanceIds {
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final int MAX_HOST_PART = 63;

  private InstanceIds() {}

  /**
   * {@code <host>-<6 hex digits>}, e.g. {@code web-1-3fa9c2}: the host name (characters Consul keys
   * do not allow become {@code -}) and the first digits of SHA-256(host, discriminator).
   */
  public static String defaultId(String discriminator) {
    Objects.requireNonNull(discriminator, "discriminator");
    return of(hostName(), discriminator);
  }

  /** The library's discriminator: the working directory and the main class or jar. */
  public static String processDiscriminator() {
    String command = System.getProperty("sun.java.command", "");
    int space = command.indexOf(' ');
    return System.getProperty("user.dir", "")
        + "\n"
        + (space < 0 ? command : command.substring(0, space));
  }

  static String of(String host, String discriminator) {
    String h = host.replaceAll("[^A-Za-z0-9_.-]", "-");
    if (h.isEmpty()) {
      h = "host";
    }
    if (h.length() > MAX_HOST_PART) {
      h = h.substring(0, MAX_HOST_PART);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((host + "\n" + discriminator).getBytes(StandardCharsets.UTF_8));
      return h + "-" + HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is always available", e);
    }
  }

  /** Whether {@code id} is a usable instance ID: 1 to 128 of {@code [A-Za-z0-9_.-]}. */
  public static boolean isValid(String id) {
    return id != null && ALLOWED.matcher(id).matches() && !id.equals(".") && !id.equals("..");
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException | SecurityException e) {
      return "localhost";
    }
  }
}
