package dev.hotconf.consul.rollout;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.hotconf.consul.fleet.AckRollout;
import dev.hotconf.consul.internal.JsonFields;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rollout record, the JSON value of {@code hotconf/rollouts/<app>/rollout}: the whole state of
 * a staged rollout, so that instances can decide for themselves and any driver can take over.
 *
 * <pre>{@code
 * {"format":1,"id":"r-5f2c1a9e","app":"orders","key":"config/orders/app.yaml",
 *  "stableIndex":1180,"candidateIndex":1240,"candidateSha256":"9c1e4f2a...",
 *  "stage":2,"percent":10,"cut":1012,"selector":"zone=eu-1","attempt":1,"halted":false,
 *  "plan":{"stages":[1,10,50,100],"bake":"PT1M","maxUnhealthy":"0","minAcked":100,"ackTimeout":"PT2M"},
 *  "started":"2026-12-05T10:00:00Z","updated":"2026-12-05T10:01:00Z",
 *  "stageStarted":"2026-12-05T10:01:00Z","by":"alice@ci-7"}
 * }</pre>
 *
 * <p>An instance runs the candidate (the value of {@code hotconf/rollouts/<app>/candidate} at
 * ModifyIndex {@code candidateIndex}) when the record is for its key, not halted, at a stage above
 * 0, its bucket is below {@code cut} and its labels match {@code selector} ({@link #selects});
 * otherwise the stable version (the key's own value). Halting is one write ({@code halted: true})
 * and so is a revert. Readers ignore fields they do not know; writers only add fields ({@code
 * format} grows for anything else).
 *
 * <p>Immutable and thread-safe. {@code reason} is null unless halted; {@code failures} lists the
 * instances that made a driver halt (empty otherwise).
 *
 * @param format the record format ({@value #FORMAT})
 * @param id the rollout's ID, new for every {@code rollout start}
 * @param app the application
 * @param key the configuration key the candidate is for (the stable key)
 * @param stableIndex the key's ModifyIndex when the rollout started: the promotion writes with
 *     check-and-set on it
 * @param candidateIndex the ModifyIndex of the candidate key's value the rollout is about
 * @param candidateSha256 SHA-256 (hex) of the candidate's bytes
 * @param plan stages, bake time, selector and thresholds
 * @param stage the current stage, 1 to the number of stages (0: none yet)
 * @param cut the bucket cut of the current stage: instances with a bucket below it are in
 * @param attempt 1, plus one for every {@code rollout resume} after a halt
 * @param halted whether everyone runs the stable version until a resume
 * @param reason why it was halted (null when running)
 * @param failures the instances that failed, when a driver halted it
 * @param started when the rollout started
 * @param updated when the record was last written
 * @param stageStarted when the current stage (or the last resume) started: the bake counts from it
 * @param by who started it ({@code user@host})
 */
public record RolloutRecord(
    int format,
    String id,
    String app,
    String key,
    long stableIndex,
    long candidateIndex,
    String candidateSha256,
    RolloutPlan plan,
    int stage,
    int cut,
    int attempt,
    boolean halted,
    String reason,
    List<Failure> failures,
    Instant started,
    Instant updated,
    Instant stageStarted,
    String by) {

  /** The format this version writes. */
  public static final int FORMAT = 1;

  /** Largest record a reader accepts. */
  public static final int MAX_BYTES = 256 * 1024;

  /** Most failures kept in a record. */
  public static final int MAX_FAILURES = 100;

  /**
   * One instance that failed with the candidate, as the driver saw it when it halted.
   *
   * @param instance the instance ID
   * @param state its state ({@code unhealthy}, or {@code pending} when it did not acknowledge)
   * @param reason why (its first problem), never a secret value
   */
  public record Failure(String instance, String state, String reason) {
    public Failure {
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(state, "state");
      reason = reason == null ? "" : reason;
    }
  }

  public RolloutRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(updated, "updated");
    Objects.requireNonNull(stageStarted, "stageStarted");
    if (format < 1) {
      throw new IllegalArgumentException("format: must be >= 1");
    }
    if (stage < 0 || stage > plan.stages().size()) {
      throw new IllegalArgumentException("stage: must be 0 to " + plan.stages().size());
    }
    if (cut < 0 || cut > AckRollout.BUCKETS) {
      throw new IllegalArgumentException("cut: must be 0 to " + AckRollout.BUCKETS);
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt: must be >= 1");
    }
    failures = List.copyOf(failures == null ? List.of() : failures);
    if (failures.size() > MAX_FAILURES) {
      failures = failures.subList(0, MAX_FAILURES);
    }
  }

  /** The percentage of the current stage (0 before the first). */
  public double percent() {
    return stage == 0 ? 0 : plan.stages().get(stage - 1);
  }

  /** Whether the current stage is the last (100 %). */
  public boolean lastStage() {
    return stage == plan.stages().size();
  }

  /** Whether instances of the current stage run the candidate (not halted, a stage started). */
  public boolean active() {
    return !halted && stage > 0;
  }

  /** Whether an instance with {@code bucket} and {@code labels} runs the candidate now. */
  public boolean selects(int bucket, Map<String, String> labels) {
    return active() && bucket < cut && plan.selector().matches(labels);
  }

  /** The record at the next stage, whose bucket cut is {@code nextCut}, starting {@code now}. */
  public RolloutRecord advanced(int nextCut, Instant now) {
    if (lastStage()) {
      throw new IllegalStateException("the last stage has no next");
    }
    return new RolloutRecord(
        format,
        id,
        app,
        key,
        stableIndex,
        candidateIndex,
        candidateSha256,
        plan,
        stage + 1,
        Math.max(cut, nextCut),
        attempt,
        halted,
        reason,
        failures,
        started,
        now,
        now,
        by);
  }

  /** The record halted: everyone runs the stable version. */
  public RolloutRecord halt(String why, List<Failure> failed, Instant now) {
    return new RolloutRecord(
        format,
        id,
        app,
        key,
        stableIndex,
        candidateIndex,
        candidateSha256,
        plan,
        stage,
        cut,
        attempt,
        true,
        Objects.requireNonNull(why, "why"),
        failed,
        started,
        now,
        stageStarted,
        by);
  }

  /**
   * The record resumed after a halt: the next attempt of the same stage, baking from {@code now}.
   */
  public RolloutRecord resume(Instant now) {
    return new RolloutRecord(
        format,
        id,
        app,
        key,
        stableIndex,
        candidateIndex,
        candidateSha256,
        plan,
        stage,
        cut,
        attempt + 1,
        false,
        null,
        List.of(),
        started,
        now,
        now,
        by);
  }

  /** When the current stage's bake ends. */
  public Instant bakeEnds() {
    return stageStarted.plus(plan.bake());
  }

  // ------------------------------------------------------------------ JSON

  /** The record as compact JSON. */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("format", format);
    o.addProperty("id", id);
    o.addProperty("app", app);
    o.addProperty("key", key);
    o.addProperty("stableIndex", stableIndex);
    o.addProperty("candidateIndex", candidateIndex);
    if (candidateSha256 != null) {
      o.addProperty("candidateSha256", candidateSha256);
    }
    o.addProperty("stage", stage);
    o.add("percent", number(percent()));
    o.addProperty("cut", cut);
    if (!plan.selector().selectsEverything()) {
      o.addProperty("selector", plan.selector().toString());
    }
    o.addProperty("attempt", attempt);
    o.addProperty("halted", halted);
    if (reason != null) {
      o.addProperty("reason", reason);
    }
    if (!failures.isEmpty()) {
      JsonArray a = new JsonArray();
      for (Failure f : failures) {
        JsonObject x = new JsonObject();
        x.addProperty("instance", f.instance());
        x.addProperty("state", f.state());
        x.addProperty("reason", f.reason());
        a.add(x);
      }
      o.add("failures", a);
    }
    JsonObject p = new JsonObject();
    JsonArray stages = new JsonArray();
    plan.stages().forEach(s -> stages.add(number(s)));
    p.add("stages", stages);
    p.addProperty("bake", plan.bake().toString());
    p.addProperty("maxUnhealthy", plan.maxUnhealthy().toString());
    p.add("minAcked", number(plan.minAcked()));
    p.addProperty("ackTimeout", plan.ackTimeout().toString());
    o.add("plan", p);
    o.addProperty("started", started.toString());
    o.addProperty("updated", updated.toString());
    o.addProperty("stageStarted", stageStarted.toString());
    if (by != null) {
      o.addProperty("by", by);
    }
    return o.toString();
  }

  /** {@link #toJson()} as UTF-8. */
  public byte[] toBytes() {
    return toJson().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonPrimitive number(double d) {
    return new JsonPrimitive(new BigDecimal(RolloutPlan.percent(d)));
  }

  /**
   * Reads a record; unknown fields are ignored.
   *
   * @throws IllegalArgumentException for a value that is not such a record; the message names the
   *     field, never the value
   */
  public static RolloutRecord parse(byte[] json) {
    JsonObject o = JsonFields.object(json, MAX_BYTES);
    JsonElement pe = o.get("plan");
    if (pe == null || !pe.isJsonObject()) {
      throw new IllegalArgumentException("plan: missing or not an object");
    }
    JsonObject p = pe.getAsJsonObject();
    List<Double> stages = new ArrayList<>();
    JsonElement se = p.get("stages");
    if (se == null || !se.isJsonArray()) {
      throw new IllegalArgumentException("plan.stages: missing or not a list");
    }
    for (JsonElement s : se.getAsJsonArray()) {
      if (!s.isJsonPrimitive() || !s.getAsJsonPrimitive().isNumber()) {
        throw new IllegalArgumentException("plan.stages: must be numbers");
      }
      stages.add(s.getAsDouble());
    }
    RolloutPlan plan;
    try {
      RolloutPlan.Builder b =
          RolloutPlan.builder()
              .stages(stages)
              .bake(duration(p, "bake"))
              .ackTimeout(duration(p, "ackTimeout"))
              .maxUnhealthy(UnhealthyLimit.parse(JsonFields.text(p, "maxUnhealthy", true)))
              .minAcked(decimal(p, "minAcked"));
      String selector = JsonFields.text(o, "selector", false);
      if (selector != null) {
        b.selector(LabelSelector.parse(selector));
      }
      plan = b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("plan: " + e.getMessage());
    }
    List<Failure> failures = new ArrayList<>();
    JsonElement fe = o.get("failures");
    if (fe != null && !fe.isJsonNull()) {
      if (!fe.isJsonArray()) {
        throw new IllegalArgumentException("failures: must be a list");
      }
      for (JsonElement f : fe.getAsJsonArray()) {
        if (!f.isJsonObject()) {
          throw new IllegalArgumentException("failures: must be a list of objects");
        }
        JsonObject fo = f.getAsJsonObject();
        failures.add(
            new Failure(
                JsonFields.text(fo, "instance", true),
                JsonFields.text(fo, "state", true),
                JsonFields.text(fo, "reason", false)));
      }
    }
    JsonElement halted = o.get("halted");
    if (halted != null
        && !halted.isJsonNull()
        && !(halted.isJsonPrimitive() && halted.getAsJsonPrimitive().isBoolean())) {
      throw new IllegalArgumentException("halted: must be true or false");
    }
    try {
      return new RolloutRecord(
          (int) whole(o, "format", true),
          JsonFields.text(o, "id", true),
          JsonFields.text(o, "app", true),
          JsonFields.text(o, "key", true),
          whole(o, "stableIndex", false),
          whole(o, "candidateIndex", true),
          JsonFields.text(o, "candidateSha256", false),
          plan,
          (int) whole(o, "stage", true),
          (int) whole(o, "cut", true),
          (int) Math.max(1, whole(o, "attempt", false)),
          halted != null && !halted.isJsonNull() && halted.getAsBoolean(),
          JsonFields.text(o, "reason", false),
          failures,
          instant(o, "started"),
          instant(o, "updated"),
          instant(o, "stageStarted"),
          JsonFields.text(o, "by", false));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** A whole number that fits an int, except for Consul indexes ({@code ...Index}: a long). */
  private static long whole(JsonObject o, String field, boolean required) {
    long v = JsonFields.wholeNumber(o, field, required);
    if (v > Integer.MAX_VALUE && !field.endsWith("Index")) {
      throw new IllegalArgumentException(field + ": out of range");
    }
    return v;
  }

  private static double decimal(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
      throw new IllegalArgumentException(field + ": missing or not a number");
    }
    return e.getAsDouble();
  }

  private static Duration duration(JsonObject o, String field) {
    String t = JsonFields.text(o, field, true);
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + ": not an ISO-8601 duration");
    }
  }

  private static Instant instant(JsonObject o, String field) {
    String t = JsonFields.text(o, field, true);
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + ": not an ISO-8601 instant");
    }
  }
}
