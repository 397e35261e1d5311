package dev.hotconf.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import java.math.BigInteger;
import java.util.Map;

/** Converts config-core trees to Jackson trees (values are kept typed, origins dropped). */
final class JsonNodes {
  private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

  private JsonNodes() {}

  static JsonNode of(ConfigNode node) {
    if (node instanceof ConfigObject obj) {
      ObjectNode out = F.objectNode();
      for (Map.Entry<String, ConfigNode> e : obj.entries().entrySet()) {
        out.set(e.getKey(), of(e.getValue()));
      }
      return out;
    }
    if (node instanceof ConfigList list) {
      ArrayNode out = F.arrayNode(list.size());
      for (ConfigNode n : list.elements()) {
        out.add(of(n));
      }
      return out;
    }
    Object v = ((ConfigScalar) node).value();
    if (v == null) {
      return F.nullNode();
    }
    if (v instanceof String s) {
      return F.textNode(s);
    }
    if (v instanceof Long l) {
      return F.numberNode(l);
    }
    if (v instanceof BigInteger b) {
      return F.numberNode(b);
    }
    if (v instanceof Double d) {
      return F.numberNode(d);
    }
    return F.booleanNode((Boolean) v);
  }

  /** The JSON Schema type name of a config node. */
  static String typeOf(ConfigNode node) {
    if (node instanceof ConfigObject) {
      return "object";
    }
    if (node instanceof ConfigList) {
      return "array";
    }
    Object v = ((ConfigScalar) node).value();
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Long || v instanceof BigInteger) {
      return "integer";
    }
    if (v instanceof Double) {
      return "number";
    }
    return "boolean";
  }
}
