package dev.hotconf.consul.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Checked reads of the fields of the JSON records hotconf keeps in Consul (acknowledgements,
 * rollout records): each failure is an {@link IllegalArgumentException} whose message starts with
 * the field's name ({@code "index: must be a whole number"}) and never repeats the value. Not API;
 * stateless and thread-safe.
 */
public final class JsonFields {
  private JsonFields() {}

  /**
   * The JSON object a record's bytes hold; {@link IllegalArgumentException} when they are more than
   * {@code maxBytes}, not JSON or not an object (the message never quotes them).
   */
  public static JsonObject object(byte[] json, int maxBytes) {
    Objects.requireNonNull(json, "json");
    if (json.length > maxBytes) {
      throw new IllegalArgumentException("larger than " + maxBytes + " bytes");
    }
    JsonElement parsed;
    try {
      parsed = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (!parsed.isJsonObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return parsed.getAsJsonObject();
  }

  /** The string at {@code field}; null when absent or JSON null and not {@code required}. */
  public static String text(JsonObject o, String field, boolean required) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      if (required) {
        throw new IllegalArgumentException(field + ": missing");
      }
      return null;
    }
    if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
      throw new IllegalArgumentException(field + ": must be a string");
    }
    return e.getAsString();
  }

  /**
   * The whole number of at least 0 at {@code field} (a {@code long}); 0 when absent or JSON null
   * and not {@code required}.
   */
  public static long wholeNumber(JsonObject o, String field, boolean required) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      if (required) {
        throw new IllegalArgumentException(field + ": missing");
      }
      return 0;
    }
    if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
      throw new IllegalArgumentException(field + ": must be a number");
    }
    long v;
    try {
      v = e.getAsBigDecimal().longValueExact();
    } catch (ArithmeticException | NumberFormatException ex) {
      throw new IllegalArgumentException(field + ": must be a whole number");
    }
    if (v < 0) {
      throw new IllegalArgumentException(field + ": must not be negative");
    }
    return v;
  }
}
