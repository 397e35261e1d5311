package dev.hotconf.sidecar.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/*
 * Design: a strict HTTP/1.1 request-head parser (RFC 9112), incremental and pure. The server calls
 * parse() with every byte received so far for the current request (always from its first byte);
 * the parser scans only what is new, checks each line as soon as its CRLF arrives, and returns the
 * head once the empty line ends it. It never allocates per byte and never looks beyond
 * maxHeaderBytes, so a client cannot make it work harder than the limits allow.
 *
 * Refused (HttpError, then the connection is closed): a line not ended by CRLF (bare LF or CR), a
 * request line that is not `token SP target SP HTTP/d.d` (400; longer than maxRequestLineBytes:
 * 414; HTTP major version other than 1: 505), a target with a character RFC 3986 does not allow
 * there or a bad percent escape (raw bytes >= 0x80 are let through for the key decoder, as curl
 * sends UTF-8 as is), more than maxHeaderFields fields or a head longer than maxHeaderBytes (431),
 * whitespace before a field's colon, obs-fold, control characters in values, a missing (HTTP/1.1),
 * repeated or malformed Host (400), Content-Length repeated, not digits, or together with
 * Transfer-Encoding (400), a transfer coding other than a single `chunked` (501), an Expect other
 * than 100-continue (417).
 */
final class RequestHeadParser {
  private static final int MAX_LEADING_EMPTY_LINES = 4;
  private static final String[] ALLOWED = allowedTargetChars();

  private final int maxRequestLineBytes;
  private final int maxHeaderBytes;
  private final int maxHeaderFields;

  // progress over the bytes seen so far, relative to the request's first byte
  private int scanned;
  private int lineStart;
  private int leadingEmptyLines;
  private boolean haveRequestLine;
  private int consumed;

  private String method;
  private String rawPath;
  private String rawQuery;
  private String absoluteHost;
  private boolean http11;
  private final List<RequestHead.Field> fields = new ArrayList<>();

  RequestHeadParser(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderFields) {
    this.maxRequestLineBytes = maxRequestLineBytes;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxHeaderFields = maxHeaderFields;
  }

  RequestHeadParser(HttpServerConfig config) {
    this(config.maxRequestLineBytes(), config.maxHeaderBytes(), config.maxHeaderFields());
  }

  /** Whether any byte of this request has been seen (leading empty lines included). */
  boolean started() {
    return scanned > 0;
  }

  /** The length of the head (request line to the empty line), once {@link #parse} returned it. */
  int consumed() {
    return consumed;
  }

  /**
   * Continues parsing. {@code buf[from, to)} holds every byte received for this request so far,
   * starting with its first; bytes seen by an earlier call must be unchanged.
   *
   * @return the head once complete, else null (more bytes needed)
   * @throws HttpError when the request is malformed or over a limit
   */
  RequestHead parse(byte[] buf, int from, int to) throws HttpError {
    int available = Math.min(to - from, maxHeaderBytes);
    int i = scanned;
    for (; i < available; i++) {
      byte c = buf[from + i];
      if (c == '\r') {
        if (i + 1 == available) {
          break; // decide once the next byte is here
        }
        if (buf[from + i + 1] != '\n') {
          throw new HttpError(400, "bare CR in request head");
        }
      } else if (c == '\n') {
        if (i == 0 || buf[from + i - 1] != '\r') {
          throw new HttpError(400, "request head lines must end with CRLF");
        }
        RequestHead head = line(buf, from + lineStart, from + i - 1, i + 1);
        if (head != null) {
          return head;
        }
        lineStart = i + 1;
      } else if (!haveRequestLine && i - lineStart >= maxRequestLineBytes) {
        throw new HttpError(414, "request line too long");
      }
    }
    scanned = i;
    if (to - from >= maxHeaderBytes) {
      throw new HttpError(
          haveRequestLine ? 431 : 414,
          haveRequestLine ? "request header fields too large" : "request line too long");
    }
    return null;
  }

  /** One complete line {@code [start, end)} (CRLF excluded); the head when it was the last. */
  private RequestHead line(byte[] b, int start, int end, int afterLine) throws HttpError {
    if (!haveRequestLine) {
      if (start == end) {
        if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
          throw new HttpError(400, "no request line");
        }
        return null;
      }
      if (end - start > maxRequestLineBytes) {
        throw new HttpError(414, "request line too long");
      }
      requestLine(b, start, end);
      haveRequestLine = true;
      return null;
    }
    if (start == end) {
      consumed = afterLine;
      return finish();
    }
    if (fields.size() == maxHeaderFields) {
      throw new HttpError(431, "too many header fields");
    }
    fields.add(field(b, start, end));
    return null;
  }

  private void requestLine(byte[] b, int start, int end) throws HttpError {
    int sp1 = start;
    while (sp1 < end && isTchar(b[sp1])) {
      sp1++;
    }
    if (sp1 == start || sp1 == end || b[sp1] != ' ') {
      throw new HttpError(400, "malformed request line");
    }
    int t = sp1 + 1;
    int sp2 = t;
    while (sp2 < end && b[sp2] != ' ') {
      if (isCtl(b[sp2])) {
        throw new HttpError(400, "control character in request target");
      }
      sp2++;
    }
    if (sp2 == t || sp2 == end) {
      throw new HttpError(400, "malformed request line");
    }
    version(b, sp2 + 1, end);
    method = ascii(b, start, sp1);
    target(b, t, sp2);
  }

  private void version(byte[] b, int start, int end) throws HttpError {
    if (end - start != 8
        || b[start] != 'H'
        || b[start + 1] != 'T'
        || b[start + 2] != 'T'
        || b[start + 3] != 'P'
        || b[start + 4] != '/'
        || !isDigit(b[start + 5])
        || b[start + 6] != '.'
        || !isDigit(b[start + 7])) {
      throw new HttpError(400, "malformed HTTP version");
    }
    if (b[start + 5] != '1') {
      throw new HttpError(505, "only HTTP/1.1 and HTTP/1.0 are supported");
    }
    http11 = b[start + 7] != '0';
  }

  private void target(byte[] b, int start, int end) throws HttpError {
    int pathStart = start;
    if (b[start] != '/') {
      // absolute-form (RFC 9112 3.2.2): http://authority/path?query; the authority names the host
      int scheme = schemeEnd(b, start, end);
      if (scheme < 0) {
        throw new HttpError(400, "request target must be a path or an http(s) URL");
      }
      int authorityStart = scheme + 3;
      int authorityEnd = authorityStart;
      while (authorityEnd < end && b[authorityEnd] != '/' && b[authorityEnd] != '?') {
        authorityEnd++;
      }
      absoluteHost = host(ascii(b, authorityStart, authorityEnd));
      if (absoluteHost.isEmpty()) {
        throw new HttpError(400, "request target URL without host");
      }
      pathStart = authorityEnd;
    }
    int q = pathStart;
    while (q < end && b[q] != '?') {
      q++;
    }
    checkChars(b, pathStart, q, false);
    checkChars(b, Math.min(q + 1, end), end, true);
    rawPath = pathStart == q ? "/" : latin1(b, pathStart, q);
    rawQuery = q < end ? latin1(b, q + 1, end) : null;
  }

  /** The index of "://" after an http or https scheme (any case) at {@code start}, else -1. */
  private static int schemeEnd(byte[] b, int start, int end) {
    for (String scheme : new String[] {"http", "https"}) {
      int n = scheme.length();
      if (end - start > n + 3
          && ascii(b, start, start + n).toLowerCase(Locale.ROOT).equals(scheme)
          && b[start + n] == ':'
          && b[start + n + 1] == '/'
          && b[start + n + 2] == '/') {
        return start + n;
      }
    }
    return -1;
  }

  /** RFC 3986 path or query characters; percent escapes must be complete. */
  private static void checkChars(byte[] b, int start, int end, boolean query) throws HttpError {
    for (int i = start; i < end; i++) {
      int c = b[i] & 0xFF;
      if (c >= 0x80) {
        continue; // raw UTF-8 as curl sends it: the key decoder checks it
      }
      if (c == '%') {
        if (i + 2 >= end || !isHex(b[i + 1]) || !isHex(b[i + 2])) {
          throw new HttpError(400, "bad percent escape in request target");
        }
        i += 2;
      } else if (ALLOWED[query ? 1 : 0].indexOf(c) < 0) {
        throw new HttpError(400, "character not allowed in request target (encode it)");
      }
    }
  }

  private static RequestHead.Field field(byte[] b, int start, int end) throws HttpError {
    if (b[start] == ' ' || b[start] == '\t') {
      throw new HttpError(400, "obsolete line folding in header field");
    }
    int colon = start;
    while (colon < end && isTchar(b[colon])) {
      colon++;
    }
    if (colon == start || colon == end || b[colon] != ':') {
      throw new HttpError(400, "malformed header field name");
    }
    int v = colon + 1;
    int ve = end;
    while (v < ve && (b[v] == ' ' || b[v] == '\t')) {
      v++;
    }
    while (ve > v && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
      ve--;
    }
    for (int i = v; i < ve; i++) {
      if (isCtl(b[i]) && b[i] != '\t') {
        throw new HttpError(400, "control character in header field value");
      }
    }
    return new RequestHead.Field(ascii(b, start, colon), latin1(b, v, ve));
  }

  private RequestHead finish() throws HttpError {
    String host = null;
    String contentLength = null;
    String transferEncoding = null;
    String expect = null;
    boolean close = !http11;
    for (RequestHead.Field f : fields) {
      String name = f.name().toLowerCase(Locale.ROOT);
      switch (name) {
        case "host" -> {
          if (host != null) {
            throw new HttpError(400, "more than one Host header field");
          }
          host = f.value();
        }
        case "content-length" -> {
          if (contentLength != null) {
            throw new HttpError(400, "more than one Content-Length");
          }
          contentLength = f.value();
        }
        case "transfer-encoding" -> {
          if (transferEncoding != null) {
            throw new HttpError(501, "only a single chunked transfer coding is supported");
          }
          transferEncoding = f.value();
        }
        case "connection" -> {
          for (String option : f.value().split(",", -1)) {
            if (option.trim().equalsIgnoreCase("close")) {
              close = true;
            }
          }
        }
        case "expect" -> expect = f.value();
        default -> {
          // other fields are the handler's business
        }
      }
    }
    if (host == null && http11 && absoluteHost == null) {
      throw new HttpError(400, "HTTP/1.1 request without Host");
    }
    String requestHost = absoluteHost != null ? absoluteHost : host == null ? null : host(host);
    long length = -1;
    boolean chunked = false;
    if (transferEncoding != null) {
      if (!http11) {
        throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      if (contentLength != null) {
        throw new HttpError(400, "both Content-Length and Transfer-Encoding");
      }
      if (!transferEncoding.equalsIgnoreCase("chunked")) {
        throw new HttpError(501, "only a single chunked transfer coding is supported");
      }
      chunked = true;
    } else if (contentLength != null) {
      length = contentLength(contentLength);
    }
    boolean expectContinue = false;
    if (expect != null) {
      if (!expect.equalsIgnoreCase("100-continue")) {
        throw new HttpError(417, "only Expect: 100-continue is supported");
      }
      expectContinue = http11;
    }
    return new RequestHead(
        method,
        rawPath,
        rawQuery,
        http11,
        fields,
        requestHost,
        !close,
        length,
        chunked,
        expectContinue);
  }

  private static long contentLength(String text) throws HttpError {
    if (text.isEmpty()) {
      throw new HttpError(400, "malformed Content-Length");
    }
    long v = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new HttpError(400, "malformed Content-Length");
      }
      v = Math.min(Long.MAX_VALUE / 20, v * 10 + (c - '0')); // saturates: any huge value is a 413
    }
    return v;
  }

  /**
   * The host part of an authority ({@code host[:port]}, RFC 3986), lower case, brackets kept for
   * IPv6; "" for an empty authority.
   *
   * @throws HttpError when it is not a valid authority without user info
   */
  static String host(String authority) throws HttpError {
    String host;
    String port;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new HttpError(400, "malformed host");
      }
      host = authority.substring(0, close + 1);
      for (int i = 1; i < close; i++) {
        char c = authority.charAt(i);
        if (!(isHex((byte) c) || c == ':' || c == '.')) {
          throw new HttpError(400, "malformed host");
        }
      }
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty() && rest.charAt(0) != ':') {
        throw new HttpError(400, "malformed host");
      }
      port = rest.isEmpty() ? "" : rest.substring(1);
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? "" : authority.substring(colon + 1);
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        if (c >= 0x80 || ALLOWED[2].indexOf(c) < 0) {
          throw new HttpError(400, "malformed host");
        }
      }
    }
    if (port.length() > 5) {
      throw new HttpError(400, "malformed host");
    }
    for (int i = 0; i < port.length(); i++) {
      if (!isDigit((byte) port.charAt(i))) {
        throw new HttpError(400, "malformed host");
      }
    }
    return host.toLowerCase(Locale.ROOT);
  }

  private static String[] allowedTargetChars() {
    String unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    String subDelims = "!$&'()*+,;=";
    String path = unreserved + subDelims + ":@/";
    // reg-name: unreserved / pct-encoded / sub-delims (percent escapes are rare in host names and
    // never needed for loopback names or IP addresses: refused)
    return new String[] {path, path + "?", unreserved + subDelims};
  }

  static boolean isTchar(byte c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static boolean isCtl(byte c) {
    return (c >= 0 && c < 0x20) || c == 0x7F;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  static boolean isHex(byte c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String ascii(byte[] b, int start, int end) {
    return new String(b, start, end - start, StandardCharsets.US_ASCII);
  }

  private static String latin1(byte[] b, int start, int end) {
    return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
  }
}
