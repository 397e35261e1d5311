package dev.hotconf.consul;

import java.util.Objects;

/**
 * A Consul request that failed, typed by cause. The message names the key or session, Consul's
 * answer (at most 200 characters) and a hint; it never contains the ACL token.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConsulException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a request failed. */
  public enum Kind {
    /** 403: the token lacks the permission, or is unknown. */
    ACL_DENIED,
    /** 429: Consul's request rate limit. */
    RATE_LIMITED,
    /** 500 "No cluster leader". */
    NO_LEADER,
    /** {@code X-Consul-KnownLeader: false} on an otherwise good answer. */
    NO_KNOWN_LEADER,
    /** 503. */
    UNAVAILABLE,
    /** Another 5xx (Consul refusing a request it understood, e.g. an invalid session). */
    SERVER_ERROR,
    /** Another 4xx (400 bad key or body, 404, 405, 413...). */
    CLIENT_ERROR,
    /** No answer within the timeout, or no connection within the connect timeout. */
    TIMEOUT,
    /** Connection refused or reset, no response, unknown host, other I/O errors. */
    CONNECTION,
    /** TLS handshake or certificate problem. */
    TLS,
    /** An answer that is not what Consul sends. */
    BAD_RESPONSE,
    /** The ACL token could not be read (token file unreadable or empty, variable unset). */
    TOKEN_UNAVAILABLE,
    /** The client was closed while the request was in flight. */
    ABORTED;

    /** Whether no answer came from Consul at all (the agent is down or unreachable). */
    public boolean unreachable() {
      return this == TIMEOUT || this == CONNECTION || this == TLS;
    }
  }

  private final Kind kind;
  private final int status;

  public ConsulException(Kind kind, int status, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when there was no HTTP answer. */
  public int status() {
    return status;
  }
}
