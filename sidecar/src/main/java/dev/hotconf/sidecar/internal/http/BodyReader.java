package dev.hotconf.sidecar.internal.http;

/*
 * Design: reads (and discards) a request body, incrementally, from the bytes after the head:
 * Content-Length bytes, or the chunked coding (RFC 9112 7.1: hex size, optional extensions, CRLF,
 * data, CRLF, ..., a zero size, optional trailer fields, CRLF). The sidecar's endpoints take no
 * body, so nothing is kept; the limits make sure a client cannot make the server read forever:
 * more than maxBodyBytes of data, or more than maxFramingBytes of sizes, extensions and trailers,
 * is a 413. Malformed chunk framing (a bad size, a missing CRLF, control characters) is a 400.
 */
final class BodyReader {
  private enum State {
    SIZE,
    SIZE_WS,
    EXTENSION,
    SIZE_LF,
    DATA,
    DATA_CR,
    DATA_LF,
    TRAILER_START,
    TRAILER,
    TRAILER_LF,
    END_LF,
    DONE
  }

  private static final int MAX_SIZE_DIGITS = 8;

  private final boolean chunked;
  private final long maxBodyBytes;
  private final long maxFramingBytes;
  private long remaining; // fixed length: body bytes still to come; chunked: of the current chunk
  private long data;
  private long framing;
  private int sizeDigits;
  private State state;

  private BodyReader(boolean chunked, long length, long maxBodyBytes, long maxFramingBytes) {
    this.chunked = chunked;
    this.remaining = length;
    this.maxBodyBytes = maxBodyBytes;
    this.maxFramingBytes = maxFramingBytes;
    this.state = chunked ? State.SIZE : length == 0 ? State.DONE : State.DATA;
  }

  /** A body of {@code length} bytes (already checked against the limit by the caller). */
  static BodyReader fixed(long length) {
    return new BodyReader(false, length, length, 0);
  }

  static BodyReader chunked(long maxBodyBytes, long maxFramingBytes) {
    return new BodyReader(true, 0, maxBodyBytes, maxFramingBytes);
  }

  boolean done() {
    return state == State.DONE;
  }

  /**
   * Consumes body bytes from {@code buf[from, to)}; stops at the end of the body (what follows
   * belongs to the next request).
   *
   * @return how many bytes were consumed
   */
  int read(byte[] buf, int from, int to) throws HttpError {
    int i = from;
    while (i < to && state != State.DONE) {
      if (state == State.DATA) {
        int n = (int) Math.min(remaining, to - i);
        i += n;
        remaining -= n;
        if (remaining == 0) {
          state = chunked ? State.DATA_CR : State.DONE;
        }
        continue;
      }
      byte c = buf[i++];
      if (++framing > maxFramingBytes) {
        throw new HttpError(413, "request body too large");
      }
      state = step(c);
    }
    return i - from;
  }

  private State step(byte c) throws HttpError {
    switch (state) {
      case SIZE -> {
        int digit = Character.digit(c, 16);
        if (digit >= 0 && RequestHeadParser.isHex(c)) {
          if (++sizeDigits > MAX_SIZE_DIGITS) {
            throw new HttpError(413, "request body too large");
          }
          remaining = remaining * 16 + digit;
          return State.SIZE;
        }
        if (sizeDigits == 0) {
          throw new HttpError(400, "malformed chunk size");
        }
        return afterSize(c);
      }
      case SIZE_WS -> {
        return afterSize(c);
      }
      case EXTENSION -> {
        if (c == '\r') {
          return State.SIZE_LF;
        }
        if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7F) {
          throw new HttpError(400, "malformed chunk extension");
        }
        return State.EXTENSION;
      }
      case SIZE_LF -> {
        expect(c, '\n');
        sizeDigits = 0;
        if (remaining == 0) {
          return State.TRAILER_START;
        }
        data += remaining;
        if (data > maxBodyBytes) {
          throw new HttpError(413, "request body too large");
        }
        return State.DATA;
      }
      case DATA_CR -> {
        expect(c, '\r');
        return State.DATA_LF;
      }
      case DATA_LF -> {
        expect(c, '\n');
        return State.SIZE;
      }
      case TRAILER_START -> {
        if (c == '\r') {
          return State.END_LF;
        }
        return trailer(c);
      }
      case TRAILER -> {
        if (c == '\r') {
          return State.TRAILER_LF;
        }
        return trailer(c);
      }
      case TRAILER_LF -> {
        expect(c, '\n');
        return State.TRAILER_START;
      }
      case END_LF -> {
        expect(c, '\n');
        return State.DONE;
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private State afterSize(byte c) throws HttpError {
    return switch (c) {
      case ' ', '\t' -> State.SIZE_WS;
      case ';' -> State.EXTENSION;
      case '\r' -> State.SIZE_LF;
      default -> throw new HttpError(400, "malformed chunk size");
    };
  }

  private static State trailer(byte c) throws HttpError {
    if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7F) {
      throw new HttpError(400, "malformed chunked trailer");
    }
    return State.TRAILER;
  }

  private static void expect(byte c, char wanted) throws HttpError {
    if (c != wanted) {
      throw new HttpError(400, "malformed chunked body");
    }
  }
}
