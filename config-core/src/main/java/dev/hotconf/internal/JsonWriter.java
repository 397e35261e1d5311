package dev.hotconf.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Redactor;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.Map;

/** Writes trees as JSON, optionally redacting secret keys. Thread-safe. */
public final class JsonWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonWriter() {}

  /**
   * Compact JSON of a node; with a redactor, values under secret keys become "<redacted>" and the
   * credentials of URLs in other strings are hidden ({@link Redactor#redactUrls}).
   */
  public static String toJson(ConfigNode node, Redactor redactorOrNull, boolean pretty) {
    return toJson(node, "", redactorOrNull, pretty);
  }

  /** As above, {@code node} being the value at {@code key} (for redaction). */
  public static String toJson(
      ConfigNode node, String key, Redactor redactorOrNull, boolean pretty) {
    StringWriter out = new StringWriter();
    write(node, key, redactorOrNull, pretty, out);
    return out.toString();
  }

  public static void write(ConfigNode node, Redactor redactorOrNull, boolean pretty, Writer out) {
    write(node, "", redactorOrNull, pretty, out);
  }

  private static void write(
      ConfigNode node, String key, Redactor redactorOrNull, boolean pretty, Writer out) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      if (pretty) {
        g.useDefaultPrettyPrinter();
      }
      write(g, node, key, redactorOrNull);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code node} at {@code key} into an open generator (for embedding in larger JSON). */
  public static void write(JsonGenerator g, ConfigNode node, String key, Redactor redactorOrNull)
      throws IOException {
    if (node instanceof ConfigObject obj) {
      g.writeStartObject();
      for (Map.Entry<String, ConfigNode> e : obj.entries().entrySet()) {
        g.writeFieldName(e.getKey());
        write(g, e.getValue(), PathSyntax.child(key, e.getKey()), redactorOrNull);
      }
      g.writeEndObject();
    } else if (node instanceof ConfigList list) {
      g.writeStartArray();
      for (int i = 0; i < list.size(); i++) {
        write(g, list.get(i), PathSyntax.child(key, i), redactorOrNull);
      }
      g.writeEndArray();
    } else if (redactorOrNull != null && redactorOrNull.isSecret(key)) {
      g.writeString(Redactor.REDACTED);
    } else {
      writeScalar(g, (ConfigScalar) node, redactorOrNull);
    }
  }

  private static void writeScalar(JsonGenerator g, ConfigScalar s, Redactor redactorOrNull)
      throws IOException {
    Object v = s.value();
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String str) {
      g.writeString(redactorOrNull == null ? str : redactorOrNull.redactUrls(str));
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        g.writeString(s.text());
      } else {
        g.writeNumber(d);
      }
    } else {
      g.writeBoolean((Boolean) v);
    }
  }
}
