package dev.hotconf.internal;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Lookup, merge, flatten and hash over immutable trees. */
public final class TreeOps {
  private TreeOps() {}

  /** The node at a parsed path, or null. */
  public static ConfigNode find(ConfigObject root, Object[] path) {
    ConfigNode node = root;
    for (Object segment : path) {
      if (segment instanceof String key) {
        if (!(node instanceof ConfigObject obj)) {
          return null;
        }
        node = obj.get(key);
      } else {
        int index = (Integer) segment;
        if (!(node instanceof ConfigList list) || index >= list.size()) {
          return null;
        }
        node = list.get(index);
      }
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /**
   * Merges {@code over} onto {@code base}: objects merge key by key, recursively; anything else in
   * {@code over} (scalar, list, null) replaces what is below it. Unchanged subtrees are shared.
   */
  public static ConfigObject merge(ConfigObject base, ConfigObject over) {
    if (base.isEmpty()) {
      return over;
    }
    if (over.isEmpty()) {
      return base;
    }
    Map<String, ConfigNode> out = new LinkedHashMap<>(base.entries());
    for (Map.Entry<String, ConfigNode> e : over.entries().entrySet()) {
      ConfigNode below = out.get(e.getKey());
      ConfigNode above = e.getValue();
      if (below instanceof ConfigObject b && above instanceof ConfigObject a) {
        out.put(e.getKey(), merge(b, a));
      } else {
        out.put(e.getKey(), above);
      }
    }
    return ConfigObject.of(out, base.origin());
  }

  /**
   * Flattens to dotted keys ({@code db.pool.size}, {@code servers[0].host}), sorted. Leaves are
   * scalars (null included) and empty objects or lists.
   */
  public static NavigableMap<String, ConfigNode> flatten(ConfigObject root) {
    TreeMap<String, ConfigNode> out = new TreeMap<>();
    root.entries().forEach((k, v) -> flattenInto(k, v, out));
    return out;
  }

  private static void flattenInto(String key, ConfigNode node, Map<String, ConfigNode> out) {
    if (node instanceof ConfigObject obj && !obj.isEmpty()) {
      obj.entries().forEach((k, v) -> flattenInto(key + "." + k, v, out));
    } else if (node instanceof ConfigList list && list.size() > 0) {
      for (int i = 0; i < list.size(); i++) {
        flattenInto(key + "[" + i + "]", list.get(i), out);
      }
    } else {
      out.put(key, node);
    }
  }

  /**
   * SHA-256 over a canonical form of the flattened tree (sorted keys, typed values), as 32 hex
   * digits. Origins, key order and formatting do not affect it.
   */
  public static String contentHash(NavigableMap<String, ConfigNode> flat) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    StringBuilder sb = new StringBuilder(64);
    for (Map.Entry<String, ConfigNode> e : flat.entrySet()) {
      sb.setLength(0);
      sb.append(e.getKey()).append('\u0000');
      canonical(e.getValue(), sb);
      sb.append('\n');
      digest.update(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] hash = digest.digest();
    StringBuilder hex = new StringBuilder(32);
    for (int i = 0; i < 16; i++) {
      hex.append(Character.forDigit((hash[i] >> 4) & 0xF, 16))
          .append(Character.forDigit(hash[i] & 0xF, 16));
    }
    return hex.toString();
  }

  private static void canonical(ConfigNode node, StringBuilder sb) {
    if (node instanceof ConfigObject) {
      sb.append("{}");
    } else if (node instanceof ConfigList) {
      sb.append("[]");
    } else {
      Object v = ((ConfigScalar) node).value();
      if (v == null) {
        sb.append('~');
      } else if (v instanceof String s) {
        sb.append('s').append(s);
      } else if (v instanceof Long || v instanceof BigInteger) {
        sb.append('i').append(v);
      } else if (v instanceof Double d) {
        sb.append('f').append(d);
      } else {
        sb.append('b').append(v);
      }
    }
  }
}
