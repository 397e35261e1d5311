package dev.hotconf.testing.consul;

import java.util.Base64;
import java.util.List;

/**
 * The little JSON Consul's KV endpoints produce, written by hand in Go's {@code encoding/json}
 * shapes.
 */
final class Json {

  private Json() {}

  /**
   * A list of DirEntry objects, fields in Go struct order; an empty value renders as {@code null}.
   */
  static String entries(List<KvEntry> entries) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < entries.size(); i++) {
      KvEntry e = entries.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"LockIndex\":").append(e.lockIndex()).append(",\"Key\":");
      string(sb, e.key());
      sb.append(",\"Flags\":").append(Long.toUnsignedString(e.flags())).append(",\"Value\":");
      byte[] value = e.valueUnsafe();
      if (value.length == 0) {
        sb.append("null");
      } else {
        sb.append('"').append(Base64.getEncoder().encodeToString(value)).append('"');
      }
      if (e.sessionOrNull() != null) {
        sb.append(",\"Session\":"); // omitempty in Go's DirEntry
        string(sb, e.sessionOrNull());
      }
      sb.append(",\"CreateIndex\":")
          .append(e.createIndex())
          .append(",\"ModifyIndex\":")
          .append(e.modifyIndex())
          .append('}');
    }
    return sb.append(']').toString();
  }

  /**
   * A list of sessions in the shape of Consul's {@code structs.Session} (fields in Go struct order;
   * {@code LockDelay} in nanoseconds, as Go encodes a {@code time.Duration}).
   */
  static String sessions(List<ConsulSession> sessions) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < sessions.size(); i++) {
      ConsulSession s = sessions.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"ID\":");
      string(sb, s.id());
      sb.append(",\"Name\":");
      string(sb, s.name());
      sb.append(",\"Node\":");
      string(sb, s.node());
      sb.append(",\"LockDelay\":").append(s.lockDelay().toNanos());
      sb.append(",\"Behavior\":");
      string(sb, s.behavior().consulName());
      sb.append(",\"TTL\":");
      string(sb, s.ttlText());
      sb.append(",\"NodeChecks\":").append(strings(s.nodeChecks()));
      sb.append(",\"ServiceChecks\":null");
      if (!s.checks().isEmpty()) {
        sb.append(",\"Checks\":").append(strings(s.checks())); // omitempty
      }
      sb.append(",\"CreateIndex\":")
          .append(s.createIndex())
          .append(",\"ModifyIndex\":")
          .append(s.modifyIndex())
          .append('}');
    }
    return sb.append(']').toString();
  }

  /** A JSON array of strings. */
  static String strings(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      string(sb, values.get(i));
    }
    return sb.append(']').toString();
  }

  /** A JSON string literal. */
  static String string(String s) {
    StringBuilder sb = new StringBuilder();
    string(sb, s);
    return sb.toString();
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            sb.append(String.format("\\u%04x", (int) c)); // Go escapes HTML characters too
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
