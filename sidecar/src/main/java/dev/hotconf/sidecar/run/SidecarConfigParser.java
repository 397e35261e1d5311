package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Problem;
import dev.hotconf.parse.ConfigFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code sidecar.yaml} with config-core's strict YAML parser and checks it: unknown keys,
 * missing required keys, wrong types and bad values are all collected, each with its line:col.
 * Relative paths resolve against the config file's folder.
 */
public final class SidecarConfigParser {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Set<String> TOP =
      Set.of(
          "sources",
          "schema",
          "strict",
          "server",
          "targets",
          "last-known-good",
          "start-timeout",
          "shutdown-grace");
  private static final Set<String> FILE_KEYS =
      Set.of("type", "path", "debounce", "max-wait", "format");
  private static final Set<String> CONSUL_KEYS =
      Set.of(
          "type",
          "address",
          "key",
          "prefix",
          "format",
          "token",
          "token-file",
          "token-env",
          "wait",
          "consistency",
          "datacenter",
          "ca-file",
          "deleted-means-empty",
          "rate-limit-burst",
          "rate-limit-refill");
  private static final Set<String> SERVER_KEYS =
      Set.of(
          "listen",
          "token-file",
          "insecure-bind",
          "tls-cert-file",
          "tls-key-file",
          "max-connections",
          "request-timeout",
          "idle-timeout");
  private static final Set<String> URL_TARGET_KEYS =
      Set.of("url", "timeout", "max-backoff", "redact-path");
  private static final Set<String> FILE_TARGET_KEYS = Set.of("file");

  private final Path file;
  private final Path dir;
  private final List<Problem> problems = new ArrayList<>();

  private SidecarConfigParser(Path file) {
    this.file = file;
    Path parent = file.toAbsolutePath().normalize().getParent();
    this.dir = parent == null ? Path.of(".").toAbsolutePath() : parent;
  }

  /**
   * Parses and validates.
   *
   * @throws ConfigParseException with every problem (line:col) found
   * @throws IOException when the file cannot be read
   */
  public static SidecarConfig parse(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ConfigObject root = ConfigFormat.YAML.parse(bytes, ConfigOrigin.of("sidecar", file.toString()));
    return new SidecarConfigParser(file).read(root);
  }

  private SidecarConfig read(ConfigObject root) {
    unknownKeys(root, TOP, "");
    List<SidecarConfig.SourceSpec> sources = new ArrayList<>();
    ConfigNode sourcesNode = root.get("sources");
    if (sourcesNode == null) {
      problems.add(Problem.at("sources", root.origin(), "is required: list at least one source"));
    } else if (sourcesNode instanceof ConfigList list && list.size() > 0) {
      for (int i = 0; i < list.size(); i++) {
        SidecarConfig.SourceSpec spec = source(list.get(i), "sources[" + i + "]");
        if (spec != null) {
          sources.add(spec);
        }
      }
    } else {
      problems.add(
          Problem.at("sources", sourcesNode.origin(), "must be a non-empty list of sources"));
    }
    Path schema = path(root, "schema", "schema", false);
    boolean strict = bool(root, "strict", "strict", false);
    SidecarConfig.Server server = server(root.get("server"));
    List<SidecarConfig.TargetSpec> targets = new ArrayList<>();
    ConfigNode targetsNode = root.get("targets");
    if (targetsNode instanceof ConfigList list) {
      for (int i = 0; i < list.size(); i++) {
        SidecarConfig.TargetSpec t = target(list.get(i), "targets[" + i + "]");
        if (t != null) {
          targets.add(t);
        }
      }
    } else if (targetsNode != null && !(targetsNode instanceof ConfigScalar s && s.isNull())) {
      problems.add(Problem.at("targets", targetsNode.origin(), "must be a list of targets"));
    }
    Path lkg = path(root, "last-known-good", "last-known-good", false);
    Duration startTimeout =
        duration(root, "start-timeout", "start-timeout", Duration.ofSeconds(30));
    Duration grace = duration(root, "shutdown-grace", "shutdown-grace", Duration.ofSeconds(10));
    if (!problems.isEmpty()) {
      throw new ConfigParseException(problems);
    }
    return new SidecarConfig(
        file, sources, schema, strict, server, targets, lkg, startTimeout, grace);
  }

  private SidecarConfig.SourceSpec source(ConfigNode node, String key) {
    if (!(node instanceof ConfigObject obj)) {
      problems.add(Problem.at(key, node.origin(), "must be a mapping with a 'type'"));
      return null;
    }
    String type = string(obj, "type", key + ".type", true);
    String origin = node.origin().toString();
    if ("file".equals(type)) {
      unknownKeys(obj, FILE_KEYS, key);
      Path path = path(obj, "path", key + ".path", true);
      return new SidecarConfig.FileSpec(
          origin,
          path,
          duration(obj, "debounce", key + ".debounce", null),
          duration(obj, "max-wait", key + ".max-wait", null),
          format(obj, key));
    }
    if ("consul".equals(type)) {
      unknownKeys(obj, CONSUL_KEYS, key);
      URI address = uri(obj, "address", key + ".address", URI.create("http://127.0.0.1:8500"));
      String k = string(obj, "key", key + ".key", false);
      String prefix = string(obj, "prefix", key + ".prefix", false);
      if ((k == null) == (prefix == null)) {
        problems.add(
            Problem.at(
                key, node.origin(), "a consul source needs exactly one of 'key' or 'prefix'"));
      }
      String consistency = string(obj, "consistency", key + ".consistency", false);
      if (consistency != null && !Set.of("default", "stale", "consistent").contains(consistency)) {
        problems.add(
            Problem.at(
                key + ".consistency",
                obj.get("consistency").origin(),
                "must be default, stale or consistent"));
      }
      Duration wait = duration(obj, "wait", key + ".wait", null);
      if (wait != null
          && (wait.compareTo(Duration.ofSeconds(1)) < 0
              || wait.compareTo(Duration.ofMinutes(10)) > 0)) {
        problems.add(
            Problem.at(key + ".wait", obj.get("wait").origin(), "must be between 1s and 10m"));
      }
      Integer burst = integer(obj, "rate-limit-burst", key + ".rate-limit-burst", 1, 100);
      Duration refill = duration(obj, "rate-limit-refill", key + ".rate-limit-refill", null);
      if (refill != null && (refill.isZero() || refill.compareTo(Duration.ofHours(1)) > 0)) {
        problems.add(
            Problem.at(
                key + ".rate-limit-refill",
                obj.get("rate-limit-refill").origin(),
                "must be between 1ms and 1h"));
      }
      return new SidecarConfig.ConsulSpec(
          origin,
          address,
          k,
          prefix,
          format(obj, key),
          string(obj, "token", key + ".token", false),
          path(obj, "token-file", key + ".token-file", false),
          string(obj, "token-env", key + ".token-env", false),
          wait,
          consistency,
          string(obj, "datacenter", key + ".datacenter", false),
          path(obj, "ca-file", key + ".ca-file", false),
          bool(obj, "deleted-means-empty", key + ".deleted-means-empty", false),
          burst,
          refill);
    }
    if (type != null) {
      problems.add(
          Problem.at(key + ".type", obj.get("type").origin(), "must be 'file' or 'consul'"));
    }
    return null;
  }

  private String format(ConfigObject obj, String key) {
    String format = string(obj, "format", key + ".format", false);
    if (format != null) {
      try {
        ConfigFormat.named(format);
      } catch (IllegalArgumentException e) {
        problems.add(
            Problem.at(
                key + ".format", obj.get("format").origin(), "must be yaml, json or properties"));
      }
    }
    return format;
  }

  private SidecarConfig.Server server(ConfigNode node) {
    InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8750);
    if (node == null) {
      return new SidecarConfig.Server(listen, null, false);
    }
    if (!(node instanceof ConfigObject obj)) {
      problems.add(Problem.at("server", node.origin(), "must be a mapping"));
      return new SidecarConfig.Server(listen, null, false);
    }
    unknownKeys(obj, SERVER_KEYS, "server");
    String text = string(obj, "listen", "server.listen", false);
    if (text != null) {
      listen = address(text, obj.get("listen").origin());
    }
    Path cert = path(obj, "tls-cert-file", "server.tls-cert-file", false);
    Path key = path(obj, "tls-key-file", "server.tls-key-file", false);
    if ((cert == null) != (key == null)) {
      problems.add(
          Problem.at(
              cert == null ? "server.tls-key-file" : "server.tls-cert-file",
              obj.get(cert == null ? "tls-key-file" : "tls-cert-file").origin(),
              "tls-cert-file and tls-key-file go together"));
    }
    Integer max = integer(obj, "max-connections", "server.max-connections", 16, 1_000_000);
    return new SidecarConfig.Server(
        listen,
        path(obj, "token-file", "server.token-file", false),
        bool(obj, "insecure-bind", "server.insecure-bind", false),
        cert,
        key,
        max == null ? SidecarConfig.Server.DEFAULT_MAX_CONNECTIONS : max,
        positive(
            obj,
            "request-timeout",
            "server.request-timeout",
            SidecarConfig.Server.DEFAULT_REQUEST_TIMEOUT),
        positive(
            obj, "idle-timeout", "server.idle-timeout", SidecarConfig.Server.DEFAULT_IDLE_TIMEOUT));
  }

  private Duration positive(ConfigObject obj, String name, String key, Duration fallback) {
    Duration d = duration(obj, name, key, fallback);
    if (d.isZero()) {
      problems.add(Problem.at(key, obj.get(name).origin(), "must be longer than 0"));
      return fallback;
    }
    return d;
  }

  private InetSocketAddress address(String text, ConfigOrigin origin) {
    int colon = text.lastIndexOf(':');
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      String host =
          colon <= 0 ? "127.0.0.1" : text.substring(0, colon).replace("[", "").replace("]", "");
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (NumberFormatException | UnknownHostException e) {
      problems.add(Problem.at("server.listen", origin, "must be HOST:PORT, e.g. 127.0.0.1:8750"));
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), 8750);
    }
  }

  private SidecarConfig.TargetSpec target(ConfigNode node, String key) {
    if (!(node instanceof ConfigObject obj)) {
      problems.add(Problem.at(key, node.origin(), "must be a mapping with 'url' or 'file'"));
      return null;
    }
    if (obj.get("url") != null) {
      unknownKeys(obj, URL_TARGET_KEYS, key);
      URI url = uri(obj, "url", key + ".url", null);
      if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        problems.add(
            Problem.at(key + ".url", obj.get("url").origin(), "must be an http or https URL"));
      }
      return new SidecarConfig.UrlTarget(
          url,
          duration(obj, "timeout", key + ".timeout", Duration.ofSeconds(5)),
          duration(obj, "max-backoff", key + ".max-backoff", Duration.ofSeconds(30)),
          bool(obj, "redact-path", key + ".redact-path", false));
    }
    if (obj.get("file") != null) {
      unknownKeys(obj, FILE_TARGET_KEYS, key);
      return new SidecarConfig.FileTarget(path(obj, "file", key + ".file", true));
    }
    problems.add(Problem.at(key, node.origin(), "a target needs 'url' or 'file'"));
    return null;
  }

  // ---- typed getters: each reports its own problem and returns a fallback ----

  private void unknownKeys(ConfigObject obj, Set<String> allowed, String parent) {
    for (Map.Entry<String, ConfigNode> e : obj.entries().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        String key = parent.isEmpty() ? e.getKey() : parent + "." + e.getKey();
        problems.add(
            Problem.at(
                key,
                e.getValue().origin(),
                "unknown key (expected one of "
                    + String.join(", ", allowed.stream().sorted().toList())
                    + ")"));
      }
    }
  }

  private String string(ConfigObject obj, String name, String key, boolean required) {
    ConfigNode n = obj.get(name);
    if (n == null || (n instanceof ConfigScalar s && s.isNull())) {
      if (required) {
        problems.add(Problem.at(key, obj.origin(), "is required"));
      }
      return null;
    }
    if (n instanceof ConfigScalar s && !(s.value() instanceof Boolean)) {
      return s.text();
    }
    problems.add(Problem.at(key, n.origin(), "must be a string"));
    return null;
  }

  private Path path(ConfigObject obj, String name, String key, boolean required) {
    String s = string(obj, name, key, required);
    return s == null ? null : dir.resolve(s).normalize();
  }

  private boolean bool(ConfigObject obj, String name, String key, boolean fallback) {
    ConfigNode n = obj.get(name);
    if (n == null) {
      return fallback;
    }
    if (n instanceof ConfigScalar s && s.value() instanceof Boolean b) {
      return b;
    }
    problems.add(Problem.at(key, n.origin(), "must be true or false"));
    return fallback;
  }

  /** An integer in [min, max], or null when absent. */
  private Integer integer(ConfigObject obj, String name, String key, int min, int max) {
    ConfigNode n = obj.get(name);
    if (n == null) {
      return null;
    }
    if (n instanceof ConfigScalar s
        && (s.value() instanceof Integer || s.value() instanceof Long)) {
      long v = ((Number) s.value()).longValue();
      if (v >= min && v <= max) {
        return (int) v;
      }
    }
    problems.add(Problem.at(key, n.origin(), "must be an integer between " + min + " and " + max));
    return null;
  }

  private URI uri(ConfigObject obj, String name, String key, URI fallback) {
    String s = string(obj, name, key, fallback == null);
    if (s == null) {
      return fallback;
    }
    try {
      URI u = new URI(s);
      if (u.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (Exception e) {
      problems.add(
          Problem.at(key, obj.get(name).origin(), "must be a URL like http://127.0.0.1:8500"));
      return fallback;
    }
  }

  private Duration duration(ConfigObject obj, String name, String key, Duration fallback) {
    ConfigNode n = obj.get(name);
    if (n == null) {
      return fallback;
    }
    Matcher m = n instanceof ConfigScalar s ? DURATION.matcher(s.text()) : null;
    if (m == null || !m.matches()) {
      problems.add(Problem.at(key, n.origin(), "must be a duration like 250ms, 5s or 2m"));
      return fallback;
    }
    try {
      long v = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(v);
        case "s" -> Duration.ofSeconds(v);
        case "m" -> Duration.ofMinutes(v);
        default -> Duration.ofHours(v);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      problems.add(Problem.at(key, n.origin(), "duration is out of range"));
      return fallback;
    }
  }
}
