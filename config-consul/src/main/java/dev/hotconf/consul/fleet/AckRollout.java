package dev.hotconf.consul.fleet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.hotconf.consul.internal.JsonFields;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The staged-rollout part of an acknowledgement ({@code "rollout":{...}} in the record), written by
 * instances that follow staged rollouts ({@code dev.hotconf.consul.rollout.RolloutFollower}): their
 * bucket and labels always, so that a rollout driver can see who takes part, and while a rollout is
 * in progress which one they act on and which candidate they run.
 *
 * <pre>{@code
 * "rollout":{"bucket":4821,"labels":{"zone":"eu-1"},"id":"r-5f2c1a9e","attempt":1,"candidateIndex":1240}
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@code id} is null outside a rollout; {@code attempt} and {@code
 * candidateIndex} are then 0.
 *
 * @param bucket the instance's bucket, 0 to 9,999 (from its app and instance ID)
 * @param labels its labels, for a rollout's label selector: at most {@value #MAX_LABELS}
 * @param id the rollout it acts on, or null
 * @param attempt the rollout's attempt (it grows with every {@code rollout resume}), or 0
 * @param candidateIndex the ModifyIndex of the candidate it runs or failed with (state {@code
 *     canary} or {@code unhealthy}), else 0
 */
public record AckRollout(
    int bucket, Map<String, String> labels, String id, int attempt, long candidateIndex) {

  /** The number of buckets: an instance's bucket is 0 to {@code BUCKETS - 1}. */
  public static final int BUCKETS = 10_000;

  /** The most labels an instance may have. */
  public static final int MAX_LABELS = 32;

  private static final Pattern LABEL_KEY =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_./-]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public AckRollout {
    if (bucket < 0 || bucket >= BUCKETS) {
      throw new IllegalArgumentException("bucket: must be 0 to " + (BUCKETS - 1));
    }
    labels = checkLabels(labels == null ? Map.of() : labels);
    if (id != null && !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id: must be 1 to 64 letters, digits, _ . or -");
    }
    if (attempt < 0 || candidateIndex < 0) {
      throw new IllegalArgumentException("attempt and candidateIndex: must not be negative");
    }
  }

  /** Bucket and labels only: an instance that follows rollouts while none is in progress. */
  public static AckRollout idle(int bucket, Map<String, String> labels) {
    return new AckRollout(bucket, labels, null, 0, 0);
  }

  /**
   * Checks labels as Kubernetes does: keys 1 to 63 of {@code [A-Za-z0-9_./-]} starting and ending
   * with a letter or digit, values empty or the same without {@code /}; at most {@value
   * #MAX_LABELS}. Returns an immutable sorted copy.
   *
   * @throws IllegalArgumentException naming the label key at fault (never a value)
   */
  public static Map<String, String> checkLabels(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    if (labels.size() > MAX_LABELS) {
      throw new IllegalArgumentException("labels: at most " + MAX_LABELS + " labels");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String k = Objects.requireNonNull(e.getKey(), "label key");
      String v = Objects.requireNonNull(e.getValue(), "label value");
      if (!LABEL_KEY.matcher(k).matches()) {
        throw new IllegalArgumentException(
            "labels: '"
                + k
                + "' is not a label key (1 to 63 letters, digits, _ . / -, starting and ending with a"
                + " letter or digit)");
      }
      if (!LABEL_VALUE.matcher(v).matches()) {
        throw new IllegalArgumentException(
            "labels: the value of "
                + k
                + " is not a label value (at most 63 letters, digits, _ . -, starting and ending"
                + " with a letter or digit)");
      }
      sorted.put(k, v);
    }
    return java.util.Collections.unmodifiableMap(sorted);
  }

  JsonObject toJsonObject() {
    JsonObject o = new JsonObject();
    o.addProperty("bucket", bucket);
    JsonObject l = new JsonObject();
    labels.forEach(l::addProperty);
    o.add("labels", l);
    if (id != null) {
      o.addProperty("id", id);
    }
    if (attempt != 0) {
      o.addProperty("attempt", attempt);
    }
    if (candidateIndex != 0) {
      o.addProperty("candidateIndex", candidateIndex);
    }
    return o;
  }

  /** Reads the object; unknown fields are ignored. */
  static AckRollout fromJson(JsonElement e) {
    if (!e.isJsonObject()) {
      throw new IllegalArgumentException("rollout: must be an object");
    }
    JsonObject o = e.getAsJsonObject();
    Map<String, String> labels = new TreeMap<>();
    JsonElement l = o.get("labels");
    if (l != null && !l.isJsonNull()) {
      if (!l.isJsonObject()) {
        throw new IllegalArgumentException("rollout.labels: must be an object of strings");
      }
      for (Map.Entry<String, JsonElement> x : l.getAsJsonObject().entrySet()) {
        if (!x.getValue().isJsonPrimitive() || !x.getValue().getAsJsonPrimitive().isString()) {
          throw new IllegalArgumentException("rollout.labels: must be an object of strings");
        }
        labels.put(x.getKey(), x.getValue().getAsString());
      }
    }
    JsonElement id = o.get("id");
    if (id != null
        && !id.isJsonNull()
        && !(id.isJsonPrimitive() && ((JsonPrimitive) id).isString())) {
      throw new IllegalArgumentException("rollout.id: must be a string");
    }
    try {
      return new AckRollout(
          (int) JsonFields.wholeNumber(o, "bucket", false),
          labels,
          id == null || id.isJsonNull() ? null : id.getAsString(),
          (int) Math.min(Integer.MAX_VALUE, JsonFields.wholeNumber(o, "attempt", false)),
          JsonFields.wholeNumber(o, "candidateIndex", false));
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(
          ex.getMessage().startsWith("rollout.") ? ex.getMessage() : "rollout." + ex.getMessage());
    }
  }
}
