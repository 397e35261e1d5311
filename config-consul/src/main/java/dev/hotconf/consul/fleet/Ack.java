package dev.hotconf.consul.fleet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hotconf.consul.internal.JsonFields;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One instance's acknowledgement, the JSON value of {@code hotconf/acks/<app>/<instance>}: what it
 * runs (content hash, local version, the Consul index that content came from) and in which state
 * ({@code live}, {@code rejected} with the problems, {@code pinned}).
 *
 * <pre>{@code
 * {"format":1,"app":"orders","instance":"web-1-3fa9c2","state":"live",
 *  "key":"config/orders/app.yaml","index":1234,"hash":"9c1e...","version":7,
 *  "time":"2026-12-05T10:00:00Z","agent":"hotconf-sidecar"}
 * }</pre>
 *
 * <p>The record is versioned ({@code format}, now {@value #FORMAT}) and meant to grow: readers
 * ignore fields they do not know and accept states they do not know ({@link AckState#of}), so a
 * later writer (staged rollouts add e.g. a stage and a bucket) does not break an older reader. A
 * writer only ever adds fields; a change that breaks readers would get a new {@code format}.
 *
 * <p>Immutable and thread-safe. {@code key}, {@code hash} and {@code agent} may be null (an
 * instance that follows no Consul key, or has no configuration yet); {@code problems} is empty
 * unless the state is {@code rejected}. Problems never hold secret values: writers pass redacted
 * messages.
 *
 * @param format the record format ({@value #FORMAT})
 * @param app the application name
 * @param instance the instance ID
 * @param state what the instance does with the newest version
 * @param key the Consul key (or prefix, ending in {@code /}) its configuration comes from
 * @param index the ModifyIndex of that key's content it runs (0 when unknown)
 * @param hash the content hash of the configuration it runs (its {@code ETag})
 * @param version its local version number (1 for its first configuration)
 * @param rejectedIndex the index of the content it refused ({@code rejected}), else 0
 * @param problems why it refused that content ({@code rejected}): at most {@value #MAX_PROBLEMS},
 *     each at most {@value #MAX_PROBLEM_LENGTH} characters
 * @param time when the instance wrote this record (its own clock)
 * @param agent what wrote it: {@code hotconf-sidecar} or {@code hotconf-library}
 * @param rollout what an instance that follows staged rollouts adds (its bucket and labels, the
 *     rollout it acts on); null for an instance that does not (and in records of earlier writers)
 */
public record Ack(
    int format,
    String app,
    String instance,
    AckState state,
    String key,
    long index,
    String hash,
    long version,
    long rejectedIndex,
    List<String> problems,
    Instant time,
    String agent,
    AckRollout rollout) {

  /** The format this version writes. */
  public static final int FORMAT = 1;

  /** Most problems kept in a record. */
  public static final int MAX_PROBLEMS = 20;

  /** Longest problem message kept (longer ones are cut with {@code ...}). */
  public static final int MAX_PROBLEM_LENGTH = 500;

  /** Largest record a reader accepts. */
  public static final int MAX_BYTES = 64 * 1024;

  public Ack {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(time, "time");
    if (format < 1) {
      throw new IllegalArgumentException("format must be >= 1 but was " + format);
    }
    List<String> kept = new ArrayList<>();
    for (String p : problems == null ? List.<String>of() : problems) {
      if (kept.size() == MAX_PROBLEMS) {
        break;
      }
      String one = Objects.requireNonNull(p, "problem").replaceAll("[\\r\\n]+", " ");
      kept.add(
          one.length() > MAX_PROBLEM_LENGTH
              ? one.substring(0, MAX_PROBLEM_LENGTH - 3) + "..."
              : one);
    }
    problems = List.copyOf(kept);
  }

  /** A record without the staged-rollout part (an instance that does not follow rollouts). */
  public Ack(
      int format,
      String app,
      String instance,
      AckState state,
      String key,
      long index,
      String hash,
      long version,
      long rejectedIndex,
      List<String> problems,
      Instant time,
      String agent) {
    this(
        format,
        app,
        instance,
        state,
        key,
        index,
        hash,
        version,
        rejectedIndex,
        problems,
        time,
        agent,
        null);
  }

  /** The first problem, if any: what {@code hotconf fleet status} shows. */
  public String firstProblem() {
    return problems.isEmpty() ? null : problems.get(0);
  }

  /** This record with another time (writers stamp it when they write). */
  public Ack at(Instant when) {
    return new Ack(
        format,
        app,
        instance,
        state,
        key,
        index,
        hash,
        version,
        rejectedIndex,
        problems,
        when,
        agent,
        rollout);
  }

  /**
   * This record with another state, problems and rollout part (what a rollout follower makes of the
   * record the acknowledger computed).
   */
  public Ack with(AckState newState, List<String> newProblems, AckRollout newRollout) {
    return new Ack(
        format,
        app,
        instance,
        newState,
        key,
        index,
        hash,
        version,
        rejectedIndex,
        newProblems,
        time,
        agent,
        newRollout);
  }

  /** Whether two records say the same thing, apart from {@link #time()}. */
  public boolean sameAs(Ack other) {
    return other != null && equals(other.at(time));
  }

  /** The record as compact JSON (absent values are left out). */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("format", format);
    o.addProperty("app", app);
    o.addProperty("instance", instance);
    o.addProperty("state", state.name());
    if (key != null) {
      o.addProperty("key", key);
    }
    o.addProperty("index", index);
    if (hash != null) {
      o.addProperty("hash", hash);
    }
    o.addProperty("version", version);
    if (rejectedIndex != 0) {
      o.addProperty("rejectedIndex", rejectedIndex);
    }
    if (!problems.isEmpty()) {
      JsonArray a = new JsonArray();
      problems.forEach(a::add);
      o.add("problems", a);
    }
    o.addProperty("time", time.toString());
    if (agent != null) {
      o.addProperty("agent", agent);
    }
    if (rollout != null) {
      o.add("rollout", rollout.toJsonObject());
    }
    return o.toString();
  }

  /** {@link #toJson()} as UTF-8. */
  public byte[] toBytes() {
    return toJson().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a record. Unknown fields are ignored and unknown states kept; a record of a later {@code
   * format} is read the same way (formats only add fields).
   *
   * @throws IllegalArgumentException for a value that is not such a record (not JSON, a required
   *     field missing or of the wrong type, larger than {@value #MAX_BYTES} bytes); the message
   *     names the field, never the value
   */
  public static Ack parse(byte[] json) {
    JsonObject o = JsonFields.object(json, MAX_BYTES);
    long format = JsonFields.wholeNumber(o, "format", true);
    if (format < 1 || format > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("format: must be a positive integer");
    }
    AckState state;
    try {
      state = AckState.of(JsonFields.text(o, "state", true));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("state: not a state name");
    }
    Instant time;
    try {
      time = Instant.parse(JsonFields.text(o, "time", true));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time: not an ISO-8601 instant");
    }
    List<String> problems = new ArrayList<>();
    JsonElement p = o.get("problems");
    if (p != null && !p.isJsonNull()) {
      if (!p.isJsonArray()) {
        throw new IllegalArgumentException("problems: must be a list of strings");
      }
      for (JsonElement item : p.getAsJsonArray()) {
        if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
          throw new IllegalArgumentException("problems: must be a list of strings");
        }
        problems.add(item.getAsString());
      }
    }
    return new Ack(
        (int) format,
        JsonFields.text(o, "app", true),
        JsonFields.text(o, "instance", true),
        state,
        JsonFields.text(o, "key", false),
        JsonFields.wholeNumber(o, "index", false),
        JsonFields.text(o, "hash", false),
        JsonFields.wholeNumber(o, "version", false),
        JsonFields.wholeNumber(o, "rejectedIndex", false),
        problems,
        time,
        JsonFields.text(o, "agent", false),
        o.get("rollout") == null || o.get("rollout").isJsonNull()
            ? null
            : AckRollout.fromJson(o.get("rollout")));
  }
}
