package dev.hotconf.testing.consul;

import java.util.List;
import java.util.Optional;

/**
 * Serves {@code /v1/session/...} as Consul's {@code agent/session_endpoint.go} does: create,
 * destroy and renew ({@code PUT}), info, list and node ({@code GET}, blocking queries on the
 * session table). The HTTP plumbing (faults, ACL, parameters, the request log) stays in {@link
 * ConsulHttpHandler}.
 */
final class SessionEndpoints {

  static final String PREFIX = "/v1/session/";

  /** An answer: status, JSON or text body, and the index for query meta headers (0: none). */
  record Answer(int status, boolean json, String body, long metaIndex) {
    static Answer json(String body) {
      return new Answer(200, true, body, 0);
    }

    static Answer read(String body, long index) {
      return new Answer(200, true, body, index);
    }

    static Answer text(int status, String body) {
      return new Answer(status, false, body, 0);
    }
  }

  private final SessionStore store;

  SessionEndpoints(SessionStore store) {
    this.store = store;
  }

  /**
   * Routes one request under {@link #PREFIX}; {@code blockOn} is the {@code ?index=} to block on
   * (0: none) and {@code timeoutNanos} the granted wait.
   */
  Answer serve(String method, String path, byte[] body, long blockOn, long timeoutNanos) {
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String op = slash < 0 ? rest : rest.substring(0, slash);
    String arg = slash < 0 ? null : rest.substring(slash + 1);
    switch (op) {
      case "create":
        if (arg != null) {
          return Answer.text(404, "404 page not found\n");
        }
        return put(method) ? create(body) : notAllowed(method);
      case "destroy":
        if (!put(method)) {
          return notAllowed(method);
        }
        if (arg == null || arg.isEmpty()) {
          return Answer.text(400, "Missing session");
        }
        store.destroy(arg);
        return Answer.json("true");
      case "renew":
        if (!put(method)) {
          return notAllowed(method);
        }
        if (arg == null || arg.isEmpty()) {
          return Answer.text(400, "Missing session");
        }
        Optional<ConsulSession> renewed = store.renew(arg);
        if (renewed.isEmpty()) {
          return Answer.text(404, "Session id '" + arg + "' not found");
        }
        return Answer.json(Json.sessions(List.of(renewed.get())));
      case "info":
        if (!get(method)) {
          return notAllowed(method);
        }
        if (arg == null || arg.isEmpty()) {
          return Answer.text(400, "Missing session");
        }
        store.awaitIndex(blockOn, timeoutNanos);
        long infoIndex = store.index();
        return Answer.read(
            Json.sessions(store.get(arg).map(List::of).orElse(List.of())), infoIndex);
      case "list":
        if (arg != null) {
          return Answer.text(404, "404 page not found\n");
        }
        if (!get(method)) {
          return notAllowed(method);
        }
        store.awaitIndex(blockOn, timeoutNanos);
        long listIndex = store.index();
        return Answer.read(Json.sessions(store.list()), listIndex);
      case "node":
        if (!get(method)) {
          return notAllowed(method);
        }
        if (arg == null || arg.isEmpty()) {
          return Answer.text(400, "Missing node name");
        }
        store.awaitIndex(blockOn, timeoutNanos);
        long nodeIndex = store.index();
        return Answer.read(
            Json.sessions(arg.equals(ConsulTestServer.NODE_NAME) ? store.list() : List.of()),
            nodeIndex);
      default:
        return Answer.text(404, "404 page not found\n");
    }
  }

  private Answer create(byte[] body) {
    try {
      ConsulSession s = store.create(body);
      return Answer.json("{\"ID\":" + Json.string(s.id()) + "}");
    } catch (SessionStore.Refused e) {
      return Answer.text(e.status, e.getMessage());
    }
  }

  /** Whether {@code path} is a session read that may block ({@code ?index=}). */
  static boolean isRead(String method, String path) {
    return get(method)
        && (path.startsWith(PREFIX + "info/")
            || path.equals(PREFIX + "list")
            || path.startsWith(PREFIX + "node/"));
  }

  private static boolean put(String method) {
    return method.equals("PUT");
  }

  private static boolean get(String method) {
    return method.equals("GET");
  }

  private static Answer notAllowed(String method) {
    return Answer.text(405, "method " + method + " not allowed");
  }
}
