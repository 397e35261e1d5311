package dev.hotconf.sidecar.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.consul.fleet.AcknowledgerConfig;
import dev.hotconf.consul.fleet.FleetStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hotconf fleet status}: per content hash how many instances run it, which rejected which
 * version and why, which are pinned, behind or stale; exit 0 only when every instance runs the
 * current version (a deployment gate).
 */
@Command(
    name = "status",
    description = {
      "Show what every instance of APP runs, from its acknowledgement in Consul:",
      "instances per content hash, rejections with their first problem, pins, instances behind.",
      "Exit 0 when every instance runs the current version of its key, live; 1 otherwise",
      "(use it as a deployment gate, with --wait to give the fleet time)."
    })
public final class FleetStatusCommand implements Callable<Integer>, UsesEnvironment {
  private static final Pattern APP = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final JsonFactory JSON = new JsonFactory();

  /** Output formats. */
  enum Format {
    text,
    json
  }

  @Mixin GlobalOptions global;
  @Mixin ConsulOptions consul;

  @Option(names = "--app", required = true, paramLabel = "APP", description = "The application.")
  String app;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Wait up to DURATION (e.g. 2m) for every instance to run the current version,"
              + " following changes as they come; then report.")
  Duration wait;

  @Option(
      names = "--stale-after",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "60s",
      description =
          "An instance behind the current version is stale once another instance adopted that"
              + " version longer ago than this (default: ${DEFAULT-VALUE}).")
  Duration staleAfter;

  @Option(
      names = "--key-prefix",
      paramLabel = "PREFIX",
      defaultValue = AcknowledgerConfig.DEFAULT_KEY_PREFIX,
      description = "Where the acknowledgements live (default: ${DEFAULT-VALUE}).")
  String keyPrefix;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private UnaryOperator<String> environment = System::getenv;
  private Clock clock = Clock.systemUTC();

  @Override
  public void environment(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    if (!APP.matcher(app).matches()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--app must be 1 to 64 letters, digits, _ . or -");
    }
    FleetStatus status;
    try (ConsulClient client = ConsulClient.create(consul.connection(environment))) {
      status =
          wait == null || wait.isZero()
              ? FleetStatus.read(client, keyPrefix, app, staleAfter, clock)
              : FleetStatus.await(client, keyPrefix, app, staleAfter, clock, wait);
    } catch (ConsulException e) {
      throw ConsulOptions.failure("fleet status of " + app, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.INTERNAL, "hotconf: interrupted", e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(format == Format.json ? json(status) : text(status));
    out.flush();
    return status.gatePasses() ? ExitCode.OK.code() : ExitCode.INVALID.code();
  }

  // ------------------------------------------------------------------ text

  /**
   * The text report. Every string taken from a record (anyone who may write under the prefix writes
   * them) is terminal-escaped: a control character cannot recolour the terminal or forge a line.
   */
  static String text(FleetStatus s) {
    StringBuilder sb = new StringBuilder();
    int n = s.instances().size();
    String key = s.mainKey().orElse(null);
    sb.append(s.app()).append(": ");
    if (n == 0) {
      sb.append("no instance has acknowledged anything");
    } else {
      sb.append(s.current().size())
          .append(" of ")
          .append(n)
          .append(n == 1 ? " instance" : " instances");
      if (key != null) {
        sb.append(" run ")
            .append(TerminalText.escape(key))
            .append(" at ModifyIndex ")
            .append(s.currentIndexes().get(key));
      } else {
        sb.append(" live");
      }
    }
    sb.append('\n');
    for (FleetStatus.HashGroup g : s.byHash()) {
      sb.append(
          String.format(
              "  %-12s  %4d %-9s  version %-8s  index %d%n",
              shortHash(g.hash()),
              g.instances().size(),
              g.instances().size() == 1 ? "instance" : "instances",
              versions(g.versions()),
              g.index()));
    }
    List<FleetStatus.Instance> rejected = s.rejected();
    if (!rejected.isEmpty()) {
      sb.append("rejected (").append(rejected.size()).append("):\n");
      for (FleetStatus.Instance i : rejected) {
        Ack a = i.ack();
        sb.append("  ")
            .append(TerminalText.escape(a.instance()))
            .append(" rejected index ")
            .append(a.rejectedIndex())
            .append(i.rejectedCurrent() ? " (the current version)" : "")
            .append(": ")
            .append(
                a.firstProblem() == null
                    ? "(no reason given)"
                    : TerminalText.escape(a.firstProblem()));
        if (a.problems().size() > 1) {
          sb.append(" (+").append(a.problems().size() - 1).append(" more)");
        }
        sb.append('\n');
      }
    }
    List<FleetStatus.Instance> pinned = s.pinned();
    if (!pinned.isEmpty()) {
      sb.append("pinned (").append(pinned.size()).append("):\n");
      for (FleetStatus.Instance i : pinned) {
        sb.append("  ")
            .append(TerminalText.escape(i.ack().instance()))
            .append(" pinned to version ")
            .append(i.ack().version())
            .append(" (hash ")
            .append(shortHash(i.ack().hash()))
            .append(", index ")
            .append(i.ack().index())
            .append(")\n");
      }
    }
    List<FleetStatus.Instance> behind = s.behind();
    if (!behind.isEmpty()) {
      sb.append("behind (").append(behind.size()).append("):\n");
      for (FleetStatus.Instance i : behind) {
        sb.append("  ")
            .append(TerminalText.escape(i.ack().instance()))
            .append(" at index ")
            .append(i.ack().index())
            .append(" (")
            .append(TerminalText.escape(i.ack().state().name()))
            .append(", acknowledged ")
            .append(ago(i.ack().time(), s.readAt()))
            .append(")")
            .append(i.stale() ? " STALE" : "")
            .append('\n');
      }
    }
    List<FleetStatus.Instance> candidate = s.onCandidate();
    if (!candidate.isEmpty()) {
      long unhealthy =
          candidate.stream().filter(i -> i.ack().state().equals(AckState.UNHEALTHY)).count();
      sb.append("on a staged rollout's candidate (")
          .append(candidate.size())
          .append("): ")
          .append(candidate.size() - unhealthy)
          .append(" canary, ")
          .append(unhealthy)
          .append(" unhealthy; see hotconf rollout status --app ")
          .append(s.app())
          .append('\n');
    }
    List<FleetStatus.Instance> other =
        s.instances().stream().filter(i -> !i.ack().state().isKnown()).toList();
    if (!other.isEmpty()) {
      sb.append("other states (").append(other.size()).append("):\n");
      for (FleetStatus.Instance i : other) {
        sb.append("  ")
            .append(TerminalText.escape(i.ack().instance()))
            .append(' ')
            .append(TerminalText.escape(i.ack().state().name()))
            .append('\n');
      }
    }
    if (!s.unreadable().isEmpty()) {
      sb.append("unreadable records (").append(s.unreadable().size()).append("):\n");
      for (FleetStatus.Unreadable u : s.unreadable()) {
        sb.append("  ")
            .append(TerminalText.escape(u.recordKey()))
            .append(": ")
            .append(TerminalText.escape(u.reason()))
            .append('\n');
      }
    }
    sb.append(s.gatePasses() ? "gate: PASS" : "gate: FAIL").append(reason(s)).append('\n');
    return sb.toString();
  }

  private static String reason(FleetStatus s) {
    if (s.gatePasses()) {
      return " (every instance runs the current version)";
    }
    if (s.instances().isEmpty() && s.unreadable().isEmpty()) {
      return " (no instance)";
    }
    StringBuilder sb = new StringBuilder(" (");
    append(sb, s.rejected().size(), "rejected");
    append(sb, s.pinned().size(), "pinned");
    append(sb, s.behind().size(), "behind");
    append(sb, s.onCandidate().size(), "on a rollout's candidate");
    append(
        sb, (int) s.instances().stream().filter(i -> !i.ack().state().isKnown()).count(), "other");
    append(sb, s.unreadable().size(), "unreadable");
    return sb.append(')').toString();
  }

  private static void append(StringBuilder sb, int count, String what) {
    if (count > 0) {
      sb.append(sb.length() > 2 ? ", " : "").append(count).append(' ').append(what);
    }
  }

  private static String shortHash(String hash) {
    return hash == null
        ? "-"
        : TerminalText.escape(hash.length() > 12 ? hash.substring(0, 12) : hash);
  }

  private static String versions(List<Long> versions) {
    return versions.size() == 1
        ? Long.toString(versions.get(0))
        : versions.get(0) + ".." + versions.get(versions.size() - 1);
  }

  private static String ago(Instant then, Instant now) {
    long s = Math.max(0, Duration.between(then, now).toSeconds());
    if (s < 120) {
      return s + "s ago";
    }
    if (s < 7200) {
      return s / 60 + "m ago";
    }
    return s / 3600 + "h ago";
  }

  // ------------------------------------------------------------------ json

  static String json(FleetStatus s) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("app", s.app());
      g.writeStringField("gate", s.gatePasses() ? "pass" : "fail");
      g.writeObjectFieldStart("currentIndexes");
      for (Map.Entry<String, Long> e : s.currentIndexes().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("summary");
      g.writeNumberField("instances", s.instances().size());
      g.writeNumberField("current", s.current().size());
      g.writeNumberField("rejected", s.rejected().size());
      g.writeNumberField("pinned", s.pinned().size());
      g.writeNumberField("behind", s.behind().size());
      g.writeNumberField("onCandidate", s.onCandidate().size());
      g.writeNumberField("stale", s.stale().size());
      g.writeNumberField("unreadable", s.unreadable().size());
      g.writeEndObject();
      g.writeArrayFieldStart("hashes");
      for (FleetStatus.HashGroup h : s.byHash()) {
        g.writeStartObject();
        g.writeStringField("hash", h.hash());
        g.writeNumberField("instances", h.instances().size());
        g.writeArrayFieldStart("versions");
        for (long v : h.versions()) {
          g.writeNumber(v);
        }
        g.writeEndArray();
        g.writeNumberField("index", h.index());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("instances");
      for (FleetStatus.Instance i : s.instances()) {
        Ack a = i.ack();
        g.writeStartObject();
        g.writeStringField("instance", a.instance());
        g.writeStringField("state", a.state().name());
        g.writeStringField("hash", a.hash());
        g.writeNumberField("version", a.version());
        g.writeStringField("key", a.key());
        g.writeNumberField("index", a.index());
        g.writeBooleanField("current", i.current());
        g.writeBooleanField("behind", i.behind());
        g.writeBooleanField("stale", i.stale());
        g.writeNumberField("rejectedIndex", a.rejectedIndex());
        g.writeArrayFieldStart("problems");
        for (String p : a.problems()) {
          g.writeString(p);
        }
        g.writeEndArray();
        g.writeStringField("time", a.time().toString());
        g.writeStringField("agent", a.agent());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("unreadable");
      for (FleetStatus.Unreadable u : s.unreadable()) {
        g.writeStartObject();
        g.writeStringField("key", u.recordKey());
        g.writeStringField("reason", u.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w + "\n";
  }
}
