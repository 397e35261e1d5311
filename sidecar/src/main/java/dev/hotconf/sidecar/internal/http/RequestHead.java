package dev.hotconf.sidecar.internal.http;

import java.util.List;

/**
 * A parsed and checked request line and header section. Immutable.
 *
 * @param method the method, case-sensitive as sent ({@code GET}, {@code HEAD}, ...)
 * @param rawPath the request target's path, still percent-encoded, one char per byte (ISO-8859-1);
 *     starts with {@code /}
 * @param rawQuery the part after the first {@code ?}, still encoded; null without {@code ?}
 * @param http11 HTTP/1.1 (or a later 1.x); false for HTTP/1.0
 * @param fields the header fields in order, names as sent
 * @param host the host named by the request (absolute-form target, else the {@code Host} field),
 *     lower case, without port, IPv6 literals with brackets; null when the request names none
 * @param keepAlive whether the connection may serve another request after this one
 * @param contentLength the body length; -1 without {@code Content-Length}
 * @param chunked whether the body is sent with {@code Transfer-Encoding: chunked}
 * @param expectContinue whether the client waits for {@code 100 Continue} before its body
 */
public record RequestHead(
    String method,
    String rawPath,
    String rawQuery,
    boolean http11,
    List<Field> fields,
    String host,
    boolean keepAlive,
    long contentLength,
    boolean chunked,
    boolean expectContinue) {

  public RequestHead {
    fields = List.copyOf(fields);
  }

  /** One header field; the value without surrounding whitespace, one char per byte. */
  public record Field(String name, String value) {}

  /** The first value of the field named {@code name} (case-insensitive), or null. */
  public String field(String name) {
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(name)) {
        return f.value();
      }
    }
    return null;
  }

  /** Whether a body follows the head. */
  public boolean hasBody() {
    return chunked || contentLength > 0;
  }

  public boolean isHead() {
    return method.equals("HEAD");
  }
}
