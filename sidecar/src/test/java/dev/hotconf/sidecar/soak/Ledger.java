package dev.hotconf.sidecar.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.BitSet;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which versions of each source were valid, and the check of a pushed body against it.
 *
 * <p>Every document written carries a unique, increasing {@code seq} per source, and all its other
 * values are a function of that seq, so validity is one bit per seq (the soak's bookkeeping stays
 * constant-size per write and does not disturb the heap measurement). The file document is a
 * one-line YAML flow mapping: any proper prefix of it (a torn read) is invalid YAML.
 *
 * <p>A pushed body is acceptable only if its file part is exactly valid file document {@code f} and
 * its Consul part exactly valid Consul document {@code c}: an invalid document (syntax error or
 * schema violation) has a seq whose bit is clear, and its values differ from the valid function.
 */
final class Ledger {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SCHEMA =
      """
      {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
       "required": ["db", "file", "consul"], "additionalProperties": false,
       "properties": {
         "db": {"type": "object", "required": ["url", "pool"], "properties": {
           "url": {"type": "string"},
           "pool": {"type": "object", "required": ["max"], "properties": {
             "max": {"type": "integer", "minimum": 1, "maximum": 500}}}}},
         "file": {"type": "object", "required": ["seq", "pad"], "properties": {
           "seq": {"type": "integer", "minimum": 0}, "pad": {"type": "string"}}},
         "consul": {"type": "object", "required": ["seq", "limit"], "properties": {
           "seq": {"type": "integer", "minimum": 0},
           "limit": {"type": "integer", "minimum": 1, "maximum": 100}}}}}
      """;

  private final BitSet validFile = new BitSet();
  private final BitSet validConsul = new BitSet();

  /** The pair of source seqs a body was made of. */
  record Seqs(int file, int consul) {
    boolean notBefore(Seqs o) {
      return file >= o.file && consul >= o.consul;
    }
  }

  // ---- documents ----

  static String validFile(int seq) {
    return "{db: {url: \"jdbc:soak\", pool: {max: "
        + max(seq)
        + "}}, file: {seq: "
        + seq
        + ", pad: \""
        + "x".repeat(seq % 200)
        + "\"}}\n";
  }

  /** Parses, but breaks the schema: pool.max out of range, or not an integer. */
  static String schemaInvalidFile(int seq) {
    String max = seq % 2 == 0 ? Integer.toString(900 + seq % 50) : "\"many\"";
    return "{db: {url: \"jdbc:soak\", pool: {max: "
        + max
        + "}}, file: {seq: "
        + seq
        + ", pad: \"\"}}\n";
  }

  /** A YAML syntax error: an unclosed flow sequence. */
  static String syntaxInvalidFile(int seq) {
    return "{db: {url: \"jdbc:soak\", pool: {max: 5}}, file: {seq: "
        + seq
        + ", pad: ["
        + "y".repeat(seq % 40)
        + "\n";
  }

  static String validConsul(int seq) {
    return "consul:\n  seq: " + seq + "\n  limit: " + limit(seq) + "\n";
  }

  static String schemaInvalidConsul(int seq) {
    return "consul:\n  seq: " + seq + "\n  limit: " + (seq % 2 == 0 ? "-" + seq : "lots") + "\n";
  }

  static String syntaxInvalidConsul(int seq) {
    return "consul:\n  seq: " + seq + "\n  limit: [1, 2\n";
  }

  private static int max(int seq) {
    return 1 + seq % 500;
  }

  private static int limit(int seq) {
    return 1 + seq % 100;
  }

  // ---- bookkeeping (called before the document is written) ----

  synchronized void fileValid(int seq) {
    validFile.set(seq);
  }

  synchronized void consulValid(int seq) {
    validConsul.set(seq);
  }

  private synchronized boolean isValid(BitSet set, int seq) {
    return seq >= 0 && set.get(seq);
  }

  /**
   * Checks a pushed JSON body.
   *
   * @return the seqs it was made of
   * @throws IllegalStateException describing why the body is not a valid combination
   */
  Seqs check(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException("not JSON: " + abbreviate(body));
    }
    Set<String> keys = new TreeSet<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    if (!keys.equals(Set.of("consul", "db", "file"))) {
      throw new IllegalStateException("top-level keys " + keys + ": " + abbreviate(body));
    }
    int f = root.path("file").path("seq").asInt(-1);
    int c = root.path("consul").path("seq").asInt(-1);
    boolean fileOk =
        isValid(validFile, f)
            && root.path("db").path("pool").path("max").isInt()
            && root.path("db").path("pool").path("max").asInt() == max(f)
            && "jdbc:soak".equals(root.path("db").path("url").asText())
            && root.path("file").path("pad").asText("?").equals("x".repeat(Math.max(0, f) % 200))
            && root.path("file").size() == 2;
    boolean consulOk =
        isValid(validConsul, c)
            && root.path("consul").path("limit").isInt()
            && root.path("consul").path("limit").asInt() == limit(c)
            && root.path("consul").size() == 2;
    if (!fileOk || !consulOk) {
      throw new IllegalStateException(
          (fileOk ? "" : "file part is not valid file version " + f + "; ")
              + (consulOk ? "" : "consul part is not valid consul version " + c + "; ")
              + abbreviate(body));
    }
    return new Seqs(f, c);
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
