package dev.hotconf.consul.internal;

import java.util.Objects;

/**
 * A failed KV read, typed by cause. The message is safe to show: it never contains the ACL token.
 * Not part of the public API.
 */
public final class KvException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a read failed. */
  public enum Kind {
    /** 403: the token lacks read permission, or is unknown. */
    ACL_DENIED,
    /** 429: Consul's request rate limit. */
    RATE_LIMITED,
    /** 500 "No cluster leader". */
    NO_LEADER,
    /** {@code X-Consul-KnownLeader: false} on an otherwise good answer. */
    NO_KNOWN_LEADER,
    /** 503. */
    UNAVAILABLE,
    /** Another 5xx. */
    SERVER_ERROR,
    /** Another 4xx (400 bad key, 401, 405...). */
    CLIENT_ERROR,
    /** No answer within the read timeout, or the connect timeout. */
    TIMEOUT,
    /** Connection refused or reset, no response, unknown host, other I/O errors. */
    CONNECTION,
    /** TLS handshake or certificate problem. */
    TLS,
    /**
     * An answer that is not what Consul sends (a body that is not the expected JSON, missing
     * headers).
     */
    BAD_RESPONSE,
    /** The ACL token could not be read (token file unreadable or empty, variable unset). */
    TOKEN_UNAVAILABLE,
    /** The client was closed while the request was in flight. */
    ABORTED
  }

  private final Kind kind;
  private final int status;

  public KvException(Kind kind, int status, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
  }

  public KvException(Kind kind, String message) {
    this(kind, 0, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when there was no HTTP answer. */
  public int status() {
    return status;
  }
}
