package dev.hotconf.sidecar.internal.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer: status, content type, body and extra header fields. Build it on one thread, then hand
 * it to {@link Exchange#respond}; the body array is sent as is (never copied, never modified), so a
 * body rendered once can be shared by any number of answers. For {@code HEAD} the server sends the
 * head only, with the {@code Content-Length} the body would have.
 */
public final class Response {
  private final int status;
  private final String contentType;
  private final byte[] body;
  private final List<String> fields = new ArrayList<>();
  private boolean close;

  private Response(int status, String contentType, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status " + status);
    }
    this.status = status;
    this.contentType = contentType;
    this.body = body == null ? new byte[0] : body;
  }

  /** A response with {@code body} ({@code contentType} may be null when the body is empty). */
  public static Response of(int status, String contentType, byte[] body) {
    return new Response(status, contentType, body);
  }

  public static Response of(int status, String contentType, String body) {
    return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"error":"<message>"}}; the message must be fixed text, safe in a JSON string. */
  public static Response error(int status, String message) {
    return of(status, "application/json", "{\"error\":\"" + message + "\"}\n");
  }

  /** Adds a header field; name and value must not contain CR, LF or NUL. */
  public Response header(String name, String value) {
    if (!safe(name) || !safe(value) || name.isEmpty()) {
      throw new IllegalArgumentException("unsafe header field");
    }
    fields.add(name);
    fields.add(value);
    return this;
  }

  /** Closes the connection after this answer. */
  public Response close() {
    this.close = true;
    return this;
  }

  public int status() {
    return status;
  }

  boolean closes() {
    return close;
  }

  byte[] body() {
    return body;
  }

  /** Whether this status carries content (not 1xx, 204, 304). */
  boolean hasContent() {
    return status >= 200 && status != 204 && status != 304;
  }

  /** The status line and header section. */
  ByteBuffer head(boolean keepAlive, String date) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    if (date != null) {
      sb.append("Date: ").append(date).append("\r\n");
    }
    if (hasContent()) {
      if (contentType != null) {
        sb.append("Content-Type: ").append(contentType).append("\r\n");
      }
      sb.append("Content-Length: ").append(body.length).append("\r\n");
    }
    for (int i = 0; i < fields.size(); i += 2) {
      sb.append(fields.get(i)).append(": ").append(fields.get(i + 1)).append("\r\n");
    }
    if (!keepAlive) {
      sb.append("Connection: close\r\n");
    }
    sb.append("\r\n");
    return ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean safe(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
        return false;
      }
    }
    return true;
  }

  static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 204 -> "No Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 417 -> "Expectation Failed";
      case 421 -> "Misdirected Request";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status " + status;
    };
  }
}
