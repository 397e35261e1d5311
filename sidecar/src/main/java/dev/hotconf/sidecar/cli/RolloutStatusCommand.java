package dev.hotconf.sidecar.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.rollout.RolloutKeys;
import dev.hotconf.consul.rollout.RolloutPlan;
import dev.hotconf.consul.rollout.RolloutRecord;
import dev.hotconf.consul.rollout.RolloutStatus;
import dev.hotconf.consul.rollout.RolloutStatus.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hotconf rollout status}: the rollout record, who drives it, and every instance's part in
 * it; exit 1 while the rollout is halted.
 */
@Command(
    name = "status",
    description = {
      "Show APP's rollout: its stage, bake, plan and driver, how many instances of the stage run",
      "the candidate, which are unhealthy and why; after a halt, why and who failed.",
      "Exit 0, or 1 while the rollout is halted."
    })
public final class RolloutStatusCommand implements Callable<Integer>, UsesEnvironment {
  private static final JsonFactory JSON = new JsonFactory();

  /** Output formats. */
  enum Format {
    text,
    json
  }

  @Mixin GlobalOptions global;
  @Mixin ConsulOptions consul;
  @Mixin RolloutOptions rollout;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private UnaryOperator<String> environment = System::getenv;
  Clock clock = Clock.systemUTC();

  @Override
  public void environment(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    RolloutKeys keys = rollout.keys(spec);
    RolloutStatus status;
    try (ConsulClient client = ConsulClient.create(consul.connection(environment))) {
      status = RolloutStatus.read(client, keys, rollout.ackPrefix, clock);
    } catch (ConsulException e) {
      throw ConsulOptions.failure("rollout status of " + keys.app(), e);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCode.INVALID,
          "hotconf: "
              + e.getMessage()
              + " (hotconf rollout abort --app "
              + keys.app()
              + " removes it)",
          e);
    }
    PrintWriter out = spec.commandLine().getOut();
    // records and acknowledgements are other processes' writes: no control character reaches the
    // terminal (the escape is valid inside JSON strings too)
    out.print(
        TerminalText.escapeLines(format == Format.json ? json(status, keys) : text(status, keys)));
    out.flush();
    return status.record().map(RolloutRecord::halted).orElse(false)
        ? ExitCode.INVALID.code()
        : ExitCode.OK.code();
  }

  // ------------------------------------------------------------------ text

  static String text(RolloutStatus s, RolloutKeys keys) {
    StringBuilder sb = new StringBuilder();
    if (s.record().isEmpty()) {
      int following = s.instances().size() - s.with(Role.NOT_FOLLOWING).size();
      sb.append(s.app())
          .append(": no rollout in progress (")
          .append(following)
          .append(following == 1 ? " instance follows" : " instances follow")
          .append(" rollouts, ")
          .append(s.with(Role.NOT_FOLLOWING).size())
          .append(" not)\n");
      return sb.toString();
    }
    RolloutRecord r = s.record().get();
    sb.append(s.app())
        .append(": rollout ")
        .append(r.id())
        .append(" of ")
        .append(r.key())
        .append(", ")
        .append(r.halted() ? "HALTED" : "RUNNING")
        .append(
            s.driver()
                .map(
                    d ->
                        " (driven by "
                            + d.name()
                            + (d.since() == null ? "" : " since " + time(d.since()))
                            + ")")
                .orElse(" (no driver: rollout resume drives it)"))
        .append('\n');
    sb.append("  candidate ")
        .append(shortHash(r.candidateSha256()))
        .append(" at ")
        .append(keys.candidate())
        .append(" (ModifyIndex ")
        .append(r.candidateIndex())
        .append("), started ")
        .append(time(r.started()))
        .append(r.by() == null ? "" : " by " + r.by())
        .append(r.attempt() > 1 ? ", attempt " + r.attempt() : "")
        .append('\n');
    sb.append("  plan: ").append(r.plan().describe()).append('\n');
    sb.append("  stage ")
        .append(r.stage())
        .append('/')
        .append(r.plan().stages().size())
        .append(" (")
        .append(RolloutPlan.percent(r.percent()))
        .append(" %): bucket cut ")
        .append(r.cut())
        .append(", since ")
        .append(time(r.stageStarted()));
    if (!r.halted()) {
      Duration left = Duration.between(s.readAt(), r.bakeEnds());
      sb.append(", bake ends ")
          .append(time(r.bakeEnds()))
          .append(
              left.isNegative() || left.isZero()
                  ? " (baked)"
                  : " (" + RolloutPlan.duration(left.truncatedTo(ChronoUnit.SECONDS)) + " left)");
    }
    sb.append('\n');
    List<RolloutStatus.Instance> population = s.population();
    sb.append("  instances: ").append(population.size()).append(" take part");
    if (r.halted()) {
      sb.append(": ")
          .append(s.with(Role.REVERTING).size())
          .append(" still on the candidate, ")
          .append(s.with(Role.STABLE).size())
          .append(" back on stable");
    } else {
      sb.append(", ")
          .append(s.inStage().size())
          .append(" in the stage: ")
          .append(s.with(Role.CANARY).size())
          .append(" canary, ")
          .append(s.with(Role.UNHEALTHY).size())
          .append(" unhealthy, ")
          .append(s.with(Role.PENDING).size())
          .append(" pending; ")
          .append(s.with(Role.STABLE).size())
          .append(" stable");
    }
    if (!s.with(Role.OUTSIDE_SELECTOR).isEmpty()) {
      sb.append("; ").append(s.with(Role.OUTSIDE_SELECTOR).size()).append(" outside the selector");
    }
    if (!s.with(Role.NOT_FOLLOWING).isEmpty()) {
      sb.append("; ").append(s.with(Role.NOT_FOLLOWING).size()).append(" not following rollouts");
    }
    sb.append('\n');
    if (r.halted()) {
      sb.append("halted: ").append(r.reason()).append('\n');
      if (!r.failures().isEmpty()) {
        sb.append("failed instances (").append(r.failures().size()).append("):\n");
        for (RolloutRecord.Failure f : r.failures()) {
          sb.append("  ")
              .append(f.instance())
              .append(" (")
              .append(f.state())
              .append("): ")
              .append(f.reason().isEmpty() ? "(no reason given)" : f.reason())
              .append('\n');
        }
      }
      sb.append("next: hotconf rollout resume --app ")
          .append(s.app())
          .append(" (the same stage again) or hotconf rollout abort --app ")
          .append(s.app())
          .append(" (drop the candidate)\n");
    }
    List<RolloutStatus.Instance> unhealthy = s.with(Role.UNHEALTHY);
    if (!unhealthy.isEmpty()) {
      sb.append("unhealthy (").append(unhealthy.size()).append("):\n");
      for (RolloutStatus.Instance i : unhealthy) {
        sb.append("  ")
            .append(i.id())
            .append(" (bucket ")
            .append(i.bucket())
            .append("): ")
            .append(i.reason() == null ? "(no reason given)" : i.reason())
            .append('\n');
      }
    }
    List<RolloutStatus.Instance> pending = s.with(Role.PENDING);
    if (!pending.isEmpty()) {
      sb.append("pending (").append(pending.size()).append("):");
      int shown = 0;
      for (RolloutStatus.Instance i : pending) {
        if (shown++ == 10) {
          sb.append(" ...");
          break;
        }
        sb.append(' ').append(i.id());
      }
      sb.append('\n');
    }
    if (!s.unreadable().isEmpty()) {
      sb.append("unreadable acknowledgements (").append(s.unreadable().size()).append("):\n");
      s.unreadable().forEach(u -> sb.append("  ").append(u).append('\n'));
    }
    return sb.toString();
  }

  private static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String shortHash(String sha) {
    return sha == null ? "-" : sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  // ------------------------------------------------------------------ json

  static String json(RolloutStatus s, RolloutKeys keys) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("app", s.app());
      g.writeFieldName("rollout");
      if (s.record().isEmpty()) {
        g.writeNull();
      } else {
        RolloutRecord r = s.record().get();
        g.writeStartObject();
        g.writeStringField("id", r.id());
        g.writeStringField("key", r.key());
        g.writeStringField("state", r.halted() ? "halted" : "running");
        g.writeStringField("candidateKey", keys.candidate());
        g.writeNumberField("candidateIndex", r.candidateIndex());
        g.writeStringField("candidateSha256", r.candidateSha256());
        g.writeNumberField("stableIndex", r.stableIndex());
        g.writeNumberField("stage", r.stage());
        g.writeNumberField("stages", r.plan().stages().size());
        g.writeNumberField("percent", r.percent());
        g.writeNumberField("cut", r.cut());
        g.writeStringField("selector", r.plan().selector().toString());
        g.writeNumberField("attempt", r.attempt());
        g.writeStringField("started", r.started().toString());
        g.writeStringField("stageStarted", r.stageStarted().toString());
        g.writeStringField("bakeEnds", r.bakeEnds().toString());
        g.writeStringField("reason", r.reason());
        g.writeArrayFieldStart("failures");
        for (RolloutRecord.Failure f : r.failures()) {
          g.writeStartObject();
          g.writeStringField("instance", f.instance());
          g.writeStringField("state", f.state());
          g.writeStringField("reason", f.reason());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeFieldName("driver");
      if (s.driver().isEmpty()) {
        g.writeNull();
      } else {
        g.writeStartObject();
        g.writeStringField("name", s.driver().get().name());
        g.writeStringField(
            "since", s.driver().get().since() == null ? null : s.driver().get().since().toString());
        g.writeEndObject();
      }
      g.writeObjectFieldStart("summary");
      g.writeNumberField("instances", s.instances().size());
      g.writeNumberField("inStage", s.inStage().size());
      for (Role role : Role.values()) {
        g.writeNumberField(camel(role), s.with(role).size());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("instances");
      for (RolloutStatus.Instance i : s.instances()) {
        Ack a = i.ack();
        g.writeStartObject();
        g.writeStringField("instance", i.id());
        g.writeStringField("role", i.role().display());
        g.writeStringField("state", a.state().name());
        g.writeNumberField("bucket", i.bucket());
        g.writeBooleanField("inStage", i.inStage());
        g.writeObjectFieldStart("labels");
        Map<String, String> labels = a.rollout() == null ? Map.of() : a.rollout().labels();
        for (Map.Entry<String, String> e : labels.entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("reason", i.role() == Role.UNHEALTHY ? i.reason() : null);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w + "\n";
  }

  private static String camel(Role role) {
    String[] parts = role.display().split("-");
    StringBuilder sb = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    return sb.toString();
  }
}
