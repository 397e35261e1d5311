package dev.hotconf.sidecar.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hotconf.ConfigFailure;
import dev.hotconf.ConfigStatus;
import dev.hotconf.Problem;
import dev.hotconf.SourceStatus;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.consul.rollout.RolloutFollower;
import dev.hotconf.sidecar.filetarget.FileApplier;
import dev.hotconf.validate.ShrinkGuard;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@code GET /v1/status}: the config's version and state, the last rejection with its
 * problems (key, file, line, column), each source's state and each target's delivery. Problems and
 * errors are already redacted where they are made; nothing here shows a value. Stateless.
 */
final class StatusJson {
  private static final JsonFactory JSON = new JsonFactory();

  private StatusJson() {}

  /**
   * @param status the config's status, or null before the config is built
   * @param served what the sidecar serves, or null before anything
   * @param pinning the history and pin
   * @param targets the push targets (worker and splay gate)
   * @param guard the shrink guard, or null without {@code guard:}
   * @param acks the fleet acknowledger, or null without a {@code fleet:} section
   * @param follower the staged-rollout follower, or null when the sidecar follows none
   */
  static String render(
      ConfigStatus status,
      Published served,
      Pinning pinning,
      List<Publisher.Target> targets,
      ShrinkGuard guard,
      ConsulAcknowledger acks,
      RolloutFollower follower) {
    boolean ready = served != null;
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      ConfigStatus s = status;
      g.writeBooleanField("ready", ready);
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
          g.writeStringField("state", src.state().name().toLowerCase(Locale.ROOT));
          time(g, "since", src.since());
          time(g, "lastContent", src.lastContent());
          g.writeStringField("lastError", src.lastError());
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeFieldName("guard");
      guard(g, guard);
      g.writeArrayFieldStart("targets");
      for (Publisher.Target t : targets) {
        TargetWorker w = t.worker();
        g.writeStartObject();
        g.writeStringField("name", w.name());
        g.writeNumberField("deliveredVersion", w.deliveredVersion());
        time(g, "deliveredAt", w.deliveredAt());
        g.writeNumberField("lagMillis", w.lag().toMillis());
        g.writeNumberField("failures", w.failures());
        g.writeStringField("lastError", w.lastError());
        time(g, "lastErrorAt", w.lastErrorAt());
        if (t.gate() != null) {
          g.writeObjectFieldStart("splay");
          g.writeNumberField("millis", t.gate().splay().toMillis());
          Published pending = t.gate().pending();
          if (pending == null) {
            g.writeNullField("pendingVersion");
          } else {
            g.writeNumberField("pendingVersion", pending.version());
          }
          time(g, "applyAt", t.gate().releaseAt());
          g.writeEndObject();
        }
        if (w.target() instanceof FilePushTarget f) {
          file(g, f);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("servedVersion", served == null ? 0 : served.version());
      g.writeNumberField("servedConfigVersion", served == null ? 0 : served.configVersion());
      g.writeFieldName("pin");
      Pinning.Pin pin = pinning.pin().orElse(null);
      if (pin == null) {
        g.writeNull();
      } else {
        g.writeStartObject();
        g.writeNumberField("version", pin.entry().version());
        g.writeStringField("hash", pin.entry().hash());
        time(g, "since", pin.since());
        g.writeBooleanField("persistent", pinning.persistent());
        g.writeEndObject();
      }
      g.writeObjectFieldStart("history");
      g.writeNumberField("versions", pinning.history().list().size());
      g.writeNumberField("bytes", pinning.history().bytes());
      g.writeEndObject();
      g.writeFieldName("fleet");
      fleet(g, acks, follower);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }

  /** The acknowledgement this instance wants in Consul and whether Consul holds it. */
  private static void fleet(JsonGenerator g, ConsulAcknowledger acks, RolloutFollower follower)
      throws IOException {
    if (acks == null) {
      g.writeNull();
      return;
    }
    ConsulAcknowledger.Status s = acks.status();
    g.writeStartObject();
    g.writeStringField("app", acks.config().app());
    g.writeStringField("instance", acks.config().instance());
    g.writeStringField("record", acks.config().key());
    Ack wanted = s.wanted().orElse(null);
    g.writeStringField("state", wanted == null ? null : wanted.state().name());
    g.writeNumberField("index", wanted == null ? 0 : wanted.index());
    g.writeNumberField("rejectedIndex", wanted == null ? 0 : wanted.rejectedIndex());
    g.writeBooleanField("inSync", s.inSync());
    time(g, "written", s.written().map(Ack::time).orElse(null));
    g.writeNumberField("writes", s.writes());
    g.writeNumberField("renewals", s.renewals());
    g.writeNumberField("failures", s.failures());
    g.writeStringField("lastError", s.lastError().orElse(null));
    g.writeFieldName("rollout");
    rollout(g, follower);
    g.writeEndObject();
  }

  /** This instance's part in staged rollouts (null when it follows none). */
  private static void rollout(JsonGenerator g, RolloutFollower follower) throws IOException {
    if (follower == null) {
      g.writeNull();
      return;
    }
    RolloutFollower.Status s = follower.status();
    g.writeStartObject();
    g.writeNumberField("bucket", s.bucket());
    g.writeObjectFieldStart("labels");
    for (var e : s.labels().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeStringField("runs", s.decision().role().name().toLowerCase(Locale.ROOT));
    g.writeStringField("why", s.decision().why());
    g.writeStringField(
        "rollout", s.decision().rollout() == null ? null : s.decision().rollout().id());
    g.writeNumberField(
        "stage", s.decision().rollout() == null ? 0 : s.decision().rollout().stage());
    g.writeStringField("state", s.state().map(x -> x.name()).orElse(null));
    g.writeArrayFieldStart("unhealthy");
    for (String why : s.unhealthy()) {
      g.writeString(why);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void failure(JsonGenerator g, ConfigFailure f) throws IOException {
    if (f == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeStringField("kind", f.kind().name().toLowerCase(Locale.ROOT));
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

  private static void guard(JsonGenerator g, ShrinkGuard guard) throws IOException {
    if (guard == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeStringField(
        "maxRemovedKeys",
        guard.maxRemovedShare() >= 1.0 ? null : ShrinkGuard.percent(guard.maxRemovedShare()));
    g.writeBooleanField("refuseEmpty", guard.refusesEmpty());
    g.writeStringField("allowKey", guard.allowKey().map(Object::toString).orElse(null));
    g.writeBooleanField("nextAllowed", guard.isNextAllowed());
    g.writeEndObject();
  }

  private static void file(JsonGenerator g, FilePushTarget f) throws IOException {
    FileApplier.Spec spec = f.spec();
    g.writeObjectFieldStart("file");
    if (spec.template() != null) {
      g.writeStringField("template", spec.template().toString());
    } else {
      g.writeStringField("format", spec.format().name().toLowerCase(Locale.ROOT));
    }
    g.writeBooleanField("check", !spec.check().isEmpty());
    g.writeStringField("reload", spec.reload() == null ? null : spec.reload().describe());
    g.writeStringField("note", f.note());
    FilePushTarget.Failure failure = f.lastFailure();
    if (failure == null) {
      g.writeNullField("lastFailure");
    } else {
      g.writeObjectFieldStart("lastFailure");
      g.writeStringField("stage", failure.stage().label());
      g.writeStringField("message", failure.message());
      g.writeStringField("output", failure.output());
      time(g, "at", failure.at());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void time(JsonGenerator g, String name, Instant t) throws IOException {
    g.writeStringField(name, t == null ? null : t.toString());
  }
}
