package dev.hotconf.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigPath;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.validate.ValidationContext;
import dev.hotconf.validate.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link Validator} that checks the configuration against a JSON Schema (draft 2020-12 unless the
 * schema's {@code $schema} says otherwise), through networknt json-schema-validator.
 *
 * <p>Every error is positioned at the offending value in the configuration file (for {@code
 * required}: the object missing the key; for {@code additionalProperties}: the unexpected key's
 * value). Messages are built here from the keyword and never contain the value of a secret key (see
 * {@link Redactor}).
 *
 * <p>{@link #strict(boolean) Strict} mode also rejects keys the schema does not declare in {@code
 * properties}/{@code patternProperties} of the enclosing object schema (where the schema does not
 * say anything about {@code additionalProperties}).
 *
 * <p>Limitation: the schema is read with config-core's parser, so schema keys (property names,
 * {@code patternProperties} regexes) must not contain {@code .}, {@code [} or {@code ]}.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonSchemaValidator implements Validator, TreeCheck {
  private final JsonNode schemaRoot;
  private final JsonSchema schema;
  private final boolean strict;

  private JsonSchemaValidator(JsonNode schemaRoot, JsonSchema schema, boolean strict) {
    this.schemaRoot = schemaRoot;
    this.schema = schema;
    this.strict = strict;
  }

  /**
   * Reads a schema file, JSON or YAML (by extension; YAML otherwise), with config-core's parser.
   *
   * @throws IOException when the file cannot be read, is not a regular file (a device such as
   *     {@code /dev/zero} never ends) or is larger than the document limit ({@link
   *     ParseLimits#maxDocumentBytes()})
   * @throws dev.hotconf.ConfigException when it cannot be parsed
   * @throws IllegalArgumentException when it is not a usable JSON Schema
   */
  public static JsonSchemaValidator fromFile(Path file) throws IOException {
    ConfigFormat format =
        ConfigFormat.forFileName(String.valueOf(file.getFileName())).orElse(ConfigFormat.YAML);
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new IOException("not a regular file");
    }
    int max = ParseLimits.defaults().maxDocumentBytes();
    if (Files.size(file) > max) {
      throw new IOException(
          "larger than "
              + (max % (1 << 20) == 0 ? (max >> 20) + " MiB" : max + " bytes")
              + " (the document limit)");
    }
    byte[] bytes = Files.readAllBytes(file);
    return fromTree(format.parse(bytes, ConfigOrigin.of("schema", file.toString())));
  }

  /** A validator for a schema already parsed with config-core. */
  public static JsonSchemaValidator fromTree(ConfigObject schemaTree) {
    JsonNode root = JsonNodes.of(schemaTree);
    try {
      // no network: remote $refs are not fetched (meta-schemas come from networknt's jar)
      JsonSchemaFactory factory =
          JsonSchemaFactory.getInstance(
              SpecVersion.VersionFlag.V202012,
              b ->
                  b.schemaLoaders(
                      l ->
                          l.values(
                              list ->
                                  list.add(
                                      0,
                                      new AllowSchemaLoader(
                                          iri -> iri.toString().startsWith("classpath:"))))));
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
      JsonSchema schema = factory.getSchema(root, config);
      schema.initializeValidators();
      return new JsonSchemaValidator(root, schema, false);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a usable JSON Schema: " + e.getMessage(), e);
    }
  }

  /** The same schema, with or without strict mode. */
  public JsonSchemaValidator strict(boolean strictMode) {
    return strictMode == strict ? this : new JsonSchemaValidator(schemaRoot, schema, strictMode);
  }

  public boolean isStrict() {
    return strict;
  }

  @Override
  public void validate(ValidationContext context) {
    for (Problem p : check(context.candidate().root(), context.redactor())) {
      context.problem(p);
    }
  }

  /** Every problem in {@code root}, sorted by position. */
  @Override
  public List<Problem> check(ConfigObject root, Redactor redactor) {
    Objects.requireNonNull(redactor, "redactor");
    Set<Problem> out = new LinkedHashSet<>();
    Set<ValidationMessage> messages = schema.validate(JsonNodes.of(root));
    for (ValidationMessage m : messages) {
      out.add(toProblem(root, m, redactor));
    }
    if (strict) {
      walkStrict(schemaRoot, root, ConfigPath.root(), out, 0);
    }
    List<Problem> sorted = new ArrayList<>(out);
    sorted.sort(
        Comparator.comparingInt((Problem p) -> p.origin() == null ? 0 : p.origin().line())
            .thenComparingInt(p -> p.origin() == null ? 0 : p.origin().column()));
    return sorted;
  }

  // ---- mapping networknt errors back to the tree -------------------------------------------

  private Problem toProblem(ConfigObject root, ValidationMessage m, Redactor redactor) {
    JsonNodePath at = m.getInstanceLocation();
    ConfigNode node = root;
    ConfigPath path = ConfigPath.root();
    for (int i = 0; i < at.getNameCount(); i++) {
      Object seg = at.getElement(i);
      ConfigNode next = null;
      if (seg instanceof Integer idx && node instanceof ConfigList list && idx < list.size()) {
        next = list.get(idx);
      } else if (seg instanceof String s && node instanceof ConfigObject obj) {
        next = obj.get(s);
      }
      if (next == null) {
        break;
      }
      node = next;
      path = seg instanceof Integer idx ? path.child(idx) : path.child((String) seg);
    }
    String key = path.toString();
    String keyword = String.valueOf(m.getType());
    JsonNode rule = ruleValue(m, keyword);
    switch (keyword) {
      case "required":
        {
          String missing = m.getProperty();
          String k = missing == null ? key : path.child(missing).toString();
          return new Problem(k, node.origin(), "is required but missing");
        }
      case "additionalProperties":
      case "unevaluatedProperties":
        {
          String extra = m.getProperty();
          if (extra != null && node instanceof ConfigObject obj && obj.get(extra) != null) {
            return new Problem(
                path.child(extra).toString(),
                obj.get(extra).origin(),
                "is not allowed here (the schema allows no other keys)");
          }
          break;
        }
      default:
        break;
    }
    String message = message(keyword, rule, key, node, redactor);
    if (message == null) {
      // networknt's own text may quote the value: URL credentials in it are hidden too
      message = redactor.redactUrls(fallback(m, keyword, key, redactor));
    }
    return new Problem(key.isEmpty() ? null : key, node.origin(), message);
  }

  /** The value of the failing keyword in the schema, e.g. {@code integer} for {@code type}. */
  private static JsonNode ruleValue(ValidationMessage m, String keyword) {
    JsonNode s = m.getSchemaNode();
    if (s != null && s.isObject() && s.has(keyword)) {
      return s.get(keyword);
    }
    return s;
  }

  private static String message(
      String keyword, JsonNode rule, String key, ConfigNode node, Redactor redactor) {
    String shown = redactor.display(key.isEmpty() ? null : key, node);
    // the allowed values of a secret key are secrets too: one of them is the valid value
    boolean secret = redactor.isSecret(key.isEmpty() ? null : key);
    switch (keyword) {
      case "type":
        return "expected " + typeNames(rule) + " but found " + JsonNodes.typeOf(node);
      case "enum":
        return shown
            + " is not one of "
            + (secret ? "the allowed values (not shown: the key is secret)" : listing(rule));
      case "const":
        return shown
            + " is not the required value"
            + (secret ? " (not shown: the key is secret)" : " " + rule);
      case "pattern":
        return shown + " does not match the pattern " + text(rule);
      case "minimum":
        return shown + " is below the minimum " + text(rule);
      case "maximum":
        return shown + " is above the maximum " + text(rule);
      case "exclusiveMinimum":
        return shown + " must be greater than " + text(rule);
      case "exclusiveMaximum":
        return shown + " must be less than " + text(rule);
      case "multipleOf":
        return shown + " is not a multiple of " + text(rule);
      case "minLength":
        return "is shorter than " + text(rule) + " characters";
      case "maxLength":
        return "is longer than " + text(rule) + " characters";
      case "minItems":
        return "has fewer than " + text(rule) + " elements";
      case "maxItems":
        return "has more than " + text(rule) + " elements";
      case "uniqueItems":
        return "has duplicate elements";
      case "minProperties":
        return "has fewer than " + text(rule) + " keys";
      case "maxProperties":
        return "has more than " + text(rule) + " keys";
      case "format":
        return shown + " is not a valid " + text(rule);
      default:
        return null;
    }
  }

  /** networknt's own message, unless the key is secret (it may quote the value). */
  private static String fallback(
      ValidationMessage m, String keyword, String key, Redactor redactor) {
    if (redactor.isSecret(key)) {
      return "does not satisfy the schema keyword '" + keyword + "'";
    }
    String msg = String.valueOf(m.getMessage());
    String loc = String.valueOf(m.getInstanceLocation());
    if (msg.startsWith(loc + ": ")) {
      msg = msg.substring(loc.length() + 2);
    }
    return msg + " (" + keyword + ")";
  }

  private static String typeNames(JsonNode rule) {
    if (rule != null && rule.isArray()) {
      List<String> names = new ArrayList<>();
      rule.forEach(n -> names.add(n.asText()));
      return String.join(" or ", names);
    }
    return text(rule);
  }

  private static String listing(JsonNode rule) {
    if (rule == null || !rule.isArray()) {
      return text(rule);
    }
    List<String> items = new ArrayList<>();
    rule.forEach(n -> items.add(n.isTextual() ? "'" + n.asText() + "'" : n.toString()));
    return String.join(", ", items);
  }

  private static String text(JsonNode n) {
    return n == null ? "?" : n.isValueNode() ? n.asText() : n.toString();
  }

  // ---- --strict: keys the schema does not declare -------------------------------------------

  private static final int MAX_REFS = 32;

  private void walkStrict(
      JsonNode schemaNode, ConfigNode node, ConfigPath path, Set<Problem> out, int refs) {
    JsonNode s = resolve(schemaNode, refs);
    if (s == null || !s.isObject()) {
      return;
    }
    if (node instanceof ConfigObject obj) {
      List<JsonNode> parts = new ArrayList<>();
      collectParts(s, parts, 0);
      boolean describesObject = false;
      boolean additionalStated = false;
      for (JsonNode p : parts) {
        describesObject |=
            p.has("properties")
                || p.has("patternProperties")
                || "object".equals(p.path("type").asText());
        additionalStated |= p.has("additionalProperties") || p.has("unevaluatedProperties");
      }
      for (Map.Entry<String, ConfigNode> e : obj.entries().entrySet()) {
        ConfigPath childPath = path.child(e.getKey());
        List<JsonNode> childSchemas = new ArrayList<>();
        for (JsonNode p : parts) {
          JsonNode declared = p.path("properties").get(e.getKey());
          if (declared != null) {
            childSchemas.add(declared);
          }
          Iterator<Map.Entry<String, JsonNode>> pp = p.path("patternProperties").fields();
          while (pp.hasNext()) {
            Map.Entry<String, JsonNode> rx = pp.next();
            if (matches(rx.getKey(), e.getKey())) {
              childSchemas.add(rx.getValue());
            }
          }
          JsonNode additional = p.get("additionalProperties");
          if (childSchemas.isEmpty() && additional != null && additional.isObject()) {
            childSchemas.add(additional);
          }
        }
        if (childSchemas.isEmpty()) {
          if (describesObject && !additionalStated) {
            out.add(
                new Problem(
                    childPath.toString(),
                    e.getValue().origin(),
                    "is not declared in the schema (--strict)"));
          }
          continue;
        }
        for (JsonNode cs : childSchemas) {
          walkStrict(cs, e.getValue(), childPath, out, refs);
        }
      }
    } else if (node instanceof ConfigList list) {
      JsonNode items = s.get("items");
      JsonNode prefix = s.get("prefixItems");
      for (int i = 0; i < list.size(); i++) {
        JsonNode is =
            prefix != null && prefix.isArray() && i < prefix.size() ? prefix.get(i) : items;
        if (is != null) {
          walkStrict(is, list.get(i), path.child(i), out, refs);
        }
      }
    }
  }

  /** The schema itself plus the branches of allOf/anyOf/oneOf/then/else (and their refs). */
  private void collectParts(JsonNode s, List<JsonNode> parts, int depth) {
    JsonNode r = resolve(s, 0);
    if (r == null || !r.isObject() || depth > 8) {
      return;
    }
    parts.add(r);
    for (String comb : List.of("allOf", "anyOf", "oneOf")) {
      JsonNode branches = r.get(comb);
      if (branches != null && branches.isArray()) {
        branches.forEach(b -> collectParts(b, parts, depth + 1));
      }
    }
    for (String cond : List.of("then", "else")) {
      if (r.has(cond)) {
        collectParts(r.get(cond), parts, depth + 1);
      }
    }
  }

  /** Follows local {@code $ref}s ({@code #/$defs/x}); remote refs are not followed. */
  private JsonNode resolve(JsonNode s, int refs) {
    JsonNode cur = s;
    int hops = refs;
    while (cur != null && cur.isObject() && cur.has("$ref") && hops < MAX_REFS) {
      String ref = cur.get("$ref").asText();
      if (!ref.startsWith("#")) {
        return cur;
      }
      JsonNode target = schemaRoot.at(ref.substring(1));
      if (target.isMissingNode()) {
        return cur;
      }
      cur = target;
      hops++;
    }
    return cur;
  }

  private static boolean matches(String regex, String key) {
    try {
      return Pattern.compile(regex).matcher(key).find();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "JsonSchemaValidator" + (strict ? "(strict)" : "");
  }
}
