package dev.hotconf.testing.consul;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the small JSON request bodies Consul's write endpoints take ({@code /v1/session/create}):
 * objects, arrays, strings, numbers ({@link BigDecimal}), booleans and null ({@link #NULL}), with
 * Go-like error messages. Strict RFC 8259; nesting is limited to 32 levels.
 */
final class JsonBody {

  /** JSON {@code null} (a map cannot hold Java null as a value distinguishable from absence). */
  static final Object NULL = new Object();

  /** A body that is not JSON; the message is Go's {@code encoding/json} style. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  private static final int MAX_DEPTH = 32;

  private final String text;
  private int pos;

  private JsonBody(String text) {
    this.text = text;
  }

  /** Parses a whole body holding one JSON value. */
  static Object parse(byte[] body) throws MalformedException {
    JsonBody p = new JsonBody(new String(body, StandardCharsets.UTF_8));
    p.skipSpace();
    Object value = p.value(0);
    p.skipSpace();
    if (p.pos < p.text.length()) {
      throw new MalformedException(
          "invalid character '" + p.text.charAt(p.pos) + "' after top-level value");
    }
    return value;
  }

  private Object value(int depth) throws MalformedException {
    if (depth > MAX_DEPTH) {
      throw new MalformedException("exceeded max depth");
    }
    if (pos >= text.length()) {
      throw new MalformedException("unexpected EOF");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new MalformedException(
            "invalid character '" + c + "' looking for beginning of value");
    }
  }

  private Map<String, Object> object(int depth) throws MalformedException {
    Map<String, Object> out = new LinkedHashMap<>();
    pos++; // {
    skipSpace();
    if (peek() == '}') {
      pos++;
      return out;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw new MalformedException(
            "invalid character '" + describe() + "' looking for beginning of object key string");
      }
      String key = string();
      skipSpace();
      if (peek() != ':') {
        throw new MalformedException("invalid character '" + describe() + "' after object key");
      }
      pos++;
      skipSpace();
      out.put(key, value(depth + 1));
      skipSpace();
      char c = peek();
      pos++;
      if (c == '}') {
        return out;
      }
      if (c != ',') {
        pos--;
        throw new MalformedException(
            "invalid character '" + describe() + "' after object key:value pair");
      }
    }
  }

  private List<Object> array(int depth) throws MalformedException {
    List<Object> out = new ArrayList<>();
    pos++; // [
    skipSpace();
    if (peek() == ']') {
      pos++;
      return out;
    }
    while (true) {
      skipSpace();
      out.add(value(depth + 1));
      skipSpace();
      char c = peek();
      pos++;
      if (c == ']') {
        return out;
      }
      if (c != ',') {
        pos--;
        throw new MalformedException("invalid character '" + describe() + "' after array element");
      }
    }
  }

  private String string() throws MalformedException {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw new MalformedException("unexpected EOF");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new MalformedException("invalid character in string literal");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw new MalformedException("unexpected EOF");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw new MalformedException("unexpected EOF");
          }
          try {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw new MalformedException("invalid character in \\u hexadecimal character escape");
          }
          pos += 4;
        }
        default -> throw new MalformedException("invalid character '" + e + "' in string escape");
      }
    }
  }

  private Object literal(String word, Object value) throws MalformedException {
    if (!text.startsWith(word, pos)) {
      throw new MalformedException(
          "invalid character '" + describe() + "' in literal " + word + " (expecting a letter)");
    }
    pos += word.length();
    return value;
  }

  private BigDecimal number() throws MalformedException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    String n = text.substring(start, pos);
    if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw new MalformedException("invalid number literal " + n);
    }
    return new BigDecimal(n);
  }

  private char peek() throws MalformedException {
    if (pos >= text.length()) {
      throw new MalformedException("unexpected EOF");
    }
    return text.charAt(pos);
  }

  private String describe() {
    return pos < text.length() ? String.valueOf(text.charAt(pos)) : "EOF";
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }
}
