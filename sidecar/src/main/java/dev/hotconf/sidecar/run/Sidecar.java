package dev.hotconf.sidecar.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hotconf.ConfigFailure;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.ConfigStatus;
import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.SourceStatus;
import dev.hotconf.sidecar.internal.http.HttpServerConfig;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.validate.Validator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: the sidecar is the library's pipeline plus two outputs. The HTTP server starts first (so
 * /healthz and a 503 /readyz answer during start-up), then HotConfig.build() blocks for the first
 * valid snapshot. Every published snapshot is rendered once (Published), made visible to HTTP
 * readers through a volatile field (waking long polls) and offered to every target's worker.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);
  /*
   * The JDK HttpClient's internal debug logger writes every request URI in full (user info and
   * query tokens of push targets included) at FINE as soon as java.util.logging is turned up, e.g.
   * `.level=ALL`. Kept off here (strong reference: JUL holds loggers weakly); the JDK's explicit
   * -Djdk.internal.httpclient.debug=true still prints to stderr for whoever asks for it.
   */
  private static final java.util.logging.Logger JDK_HTTP_DEBUG =
      quiet("jdk.internal.httpclient.debug");
  private static final JsonFactory JSON = new JsonFactory();

  private final SidecarConfig config;
  private final Clock clock;
  private final List<TargetWorker> workers = new ArrayList<>();
  private final Object publishLock = new Object();
  private volatile Published published;
  private volatile HotConfig hotConfig;
  private volatile ConfigServer server;
  private HttpClient httpClient;

  public Sidecar(SidecarConfig config) {
    this(config, Clock.systemUTC());
  }

  Sidecar(SidecarConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.OFF);
    return logger;
  }

  /** Starts the HTTP server; {@code token} (may be null) is required on all but /healthz. */
  public InetSocketAddress startServer(HttpServerConfig http, String token) throws IOException {
    server = new ConfigServer(this, http, token);
    LOG.info(
        "hotconf sidecar listening on {}://{}:{}",
        http.tls() == null ? "http" : "https",
        server.address().getHostString(),
        server.address().getPort());
    return server.address();
  }

  /**
   * Builds the config from the sources (blocking until the first valid snapshot), then starts the
   * push workers and pushes the current version to every target.
   */
  public void start(List<ConfigSource> sources, List<Validator> validators) {
    httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (SidecarConfig.TargetSpec spec : config.targets()) {
      PushTarget target =
          spec instanceof SidecarConfig.UrlTarget u
              ? new HttpPushTarget(u.url(), u.timeout(), httpClient, u.redactPath())
              : new FilePushTarget(((SidecarConfig.FileTarget) spec).file());
      Duration max =
          spec instanceof SidecarConfig.UrlTarget u ? u.maxBackoff() : Duration.ofSeconds(30);
      workers.add(new TargetWorker(target, Duration.ofMillis(200), max, clock));
    }
    HotConfig.Builder builder =
        HotConfig.builder().name("sidecar").startTimeout(config.startTimeout());
    sources.forEach(builder::source);
    validators.forEach(builder::validate);
    if (config.lastKnownGood() != null) {
      builder.lastKnownGood(config.lastKnownGood());
    }
    HotConfig built = builder.build();
    hotConfig = built;
    built.onChange(change -> publish(change.current()));
    publish(built.snapshot());
    workers.forEach(TargetWorker::start);
  }

  /**
   * Makes {@code snapshot} the served version unless a newer one already is. Called by the start-up
   * thread and the listener thread, possibly at once: the check and the store are one step, so the
   * served version never goes back.
   */
  void publish(ConfigSnapshot snapshot) {
    Published current = published;
    if (current != null && current.version() >= snapshot.version()) {
      return;
    }
    Published p = Published.of(snapshot);
    synchronized (publishLock) {
      current = published;
      if (current != null && current.version() >= p.version()) {
        return;
      }
      published = p;
    }
    ConfigServer s = server;
    if (s != null) {
      s.published();
    }
    for (TargetWorker w : workers) {
      w.offer(p);
    }
  }

  Published published() {
    return published;
  }

  /** The config, once built (null before). */
  public HotConfig hotConfig() {
    return hotConfig;
  }

  /** Whether every target has the newest version. */
  public boolean allDelivered() {
    return workers.stream().allMatch(TargetWorker::idle);
  }

  /** Stops accepting requests, lets pushes in flight finish within the grace period, stops. */
  public void shutdown(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    if (server != null) {
      // stop accepting, answer parked long polls, let answers in progress finish (briefly)
      server.stop(grace.compareTo(Duration.ofSeconds(1)) < 0 ? grace : Duration.ofSeconds(1));
    }
    try {
      for (TargetWorker w : workers) {
        w.awaitSettled(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    workers.forEach(TargetWorker::close);
    HotConfig c = hotConfig;
    if (c != null) {
      c.close();
    }
  }

  // ---- status and metrics ----

  String statusJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      HotConfig c = hotConfig;
      ConfigStatus s = c == null ? null : c.status();
      g.writeBooleanField("ready", published != null);
      g.writeNumberField("version", s == null ? 0 : s.version());
      g.writeStringField("hash", s == null ? null : s.hash());
      time(g, "lastReload", s == null ? null : s.lastSuccess());
      g.writeBooleanField("rejecting", s != null && s.rejecting());
      g.writeBooleanField("fromLastKnownGood", s != null && s.fromLastKnownGood());
      g.writeFieldName("lastRejection");
      failure(g, s == null ? null : s.lastFailure());
      g.writeObjectFieldStart("counters");
      g.writeNumberField("reloads", s == null ? 0 : s.reloads());
      g.writeNumberField("rejections", s == null ? 0 : s.rejections());
      g.writeNumberField("unchanged", s == null ? 0 : s.unchanged());
      g.writeNumberField("sourceFailures", s == null ? 0 : s.sourceFailures());
      g.writeEndObject();
      g.writeArrayFieldStart("sources");
      if (s != null) {
        for (SourceStatus src : s.sources()) {
          g.writeStartObject();
          g.writeStringField("name", src.name());
          g.writeStringField("state", src.state().name().toLowerCase());
          time(g, "since", src.since());
          time(g, "lastContent", src.lastContent());
          g.writeStringField("lastError", src.lastError());
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeArrayFieldStart("targets");
      for (TargetWorker w : workers) {
        g.writeStartObject();
        g.writeStringField("name", w.name());
        g.writeNumberField("deliveredVersion", w.deliveredVersion());
        time(g, "deliveredAt", w.deliveredAt());
        g.writeNumberField("lagMillis", w.lag().toMillis());
        g.writeNumberField("failures", w.failures());
        g.writeStringField("lastError", w.lastError());
        time(g, "lastErrorAt", w.lastErrorAt());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }

  private static void failure(JsonGenerator g, ConfigFailure f) throws IOException {
    if (f == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeStringField("kind", f.kind().name().toLowerCase());
    g.writeStringField("source", f.source());
    time(g, "time", f.time());
    g.writeArrayFieldStart("problems");
    for (Problem p : f.problems()) {
      g.writeStartObject();
      g.writeStringField("key", p.key());
      g.writeStringField("origin", p.origin() == null ? null : p.origin().toString());
      if (p.origin() != null && p.origin().hasPosition()) {
        g.writeStringField("location", p.origin().location());
        g.writeNumberField("line", p.origin().line());
        g.writeNumberField("column", p.origin().column());
      }
      g.writeStringField("message", p.message());
      g.writeStringField("text", p.toString());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void time(JsonGenerator g, String name, Instant t) throws IOException {
    g.writeStringField(name, t == null ? null : t.toString());
  }

  String metricsText() {
    StringBuilder sb = new StringBuilder();
    HotConfig c = hotConfig;
    ConfigStatus s = c == null ? null : c.status();
    metric(
        sb,
        "hotconf_reloads_total",
        "counter",
        "Snapshots published.",
        s == null ? 0 : s.reloads());
    metric(
        sb,
        "hotconf_rejections_total",
        "counter",
        "Candidates rejected by validation.",
        s == null ? 0 : s.rejections());
    metric(
        sb,
        "hotconf_source_failures_total",
        "counter",
        "Failures reported by sources.",
        s == null ? 0 : s.sourceFailures());
    metric(
        sb,
        "hotconf_config_version",
        "gauge",
        "Version of the live snapshot (0 before the first).",
        s == null ? 0 : s.version());
    metric(
        sb,
        "hotconf_ready",
        "gauge",
        "1 once a valid snapshot is live.",
        published == null ? 0 : 1);
    metric(
        sb,
        "hotconf_rejecting",
        "gauge",
        "1 while the sources' current content is rejected.",
        s != null && s.rejecting() ? 1 : 0);
    metric(
        sb,
        "hotconf_last_success_timestamp_seconds",
        "gauge",
        "When the live snapshot was published.",
        s == null || s.lastSuccess() == null ? 0 : s.lastSuccess().toEpochMilli() / 1000.0);
    header(sb, "hotconf_source_up", "gauge", "1 when the source's latest content is in use.");
    if (s != null) {
      for (SourceStatus src : s.sources()) {
        sb.append("hotconf_source_up{source=\"")
            .append(label(src.name()))
            .append("\"} ")
            .append(src.state() == SourceStatus.State.OK ? 1 : 0)
            .append('\n');
      }
    }
    header(sb, "hotconf_target_failures_total", "counter", "Failed push attempts per target.");
    for (TargetWorker w : workers) {
      sb.append("hotconf_target_failures_total{target=\"")
          .append(label(w.name()))
          .append("\"} ")
          .append(w.failures())
          .append('\n');
    }
    header(sb, "hotconf_target_delivered_version", "gauge", "Newest version delivered per target.");
    for (TargetWorker w : workers) {
      sb.append("hotconf_target_delivered_version{target=\"")
          .append(label(w.name()))
          .append("\"} ")
          .append(w.deliveredVersion())
          .append('\n');
    }
    header(
        sb,
        "hotconf_target_lag_seconds",
        "gauge",
        "How long the newest version has waited for delivery.");
    for (TargetWorker w : workers) {
      sb.append("hotconf_target_lag_seconds{target=\"")
          .append(label(w.name()))
          .append("\"} ")
          .append(w.lag().toMillis() / 1000.0)
          .append('\n');
    }
    return sb.toString();
  }

  private static void metric(
      StringBuilder sb, String name, String type, String help, double value) {
    header(sb, name, type, help);
    sb.append(name)
        .append(' ')
        .append(value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value))
        .append('\n');
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String label(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
