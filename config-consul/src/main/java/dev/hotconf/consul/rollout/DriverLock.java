package dev.hotconf.consul.rollout;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.internal.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. A Consul lock as Consul documents it: a session (TTL only, no health checks, behaviour
 * release) and ?acquire= on the lock key, whose value says who holds it and which session. The
 * session's LockDelay is 0: with Consul's default of 15 s, a driver that was killed (its session
 * expired) would lock every other driver out of the key for 15 s more, and so would a clean stop
 * (destroy). A second driver is refused while the first one's session lives: at most 2 × TTL after
 * the first one died (Consul treats the TTL as a lower bound). The value names the session so that
 * readers can tell a held lock from a stale value (the value stays after a release or an expiry).
 */

/** The driver's lock on an application's rollout. Thread-safe. */
final class DriverLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DriverLock.class);

  private final ConsulClient client;
  private final String key;
  private final String name;
  private final Duration ttl;
  private final Clock clock;
  private ScheduledExecutorService timer;
  private volatile String session;
  private volatile boolean lost;
  private volatile boolean held;

  DriverLock(ConsulClient client, String key, String name, Duration ttl, Clock clock) {
    this.client = client;
    this.key = key;
    this.name = name;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * Takes the lock, or says who holds it.
   *
   * @throws RolloutException ({@link RolloutException.Kind#LOCK_HELD}) naming the holder
   */
  synchronized void acquire() throws ConsulException, RolloutException {
    if (held) {
      return;
    }
    if (session == null) {
      session =
          client.createSession(
              new ConsulClient.SessionSpec(
                  "hotconf-rollout " + key,
                  ttl,
                  ConsulClient.SessionBehavior.RELEASE,
                  Duration.ZERO));
    }
    JsonObject v = new JsonObject();
    v.addProperty("driver", name);
    v.addProperty("session", session);
    v.addProperty("since", clock.instant().toString());
    if (!client.acquire(key, v.toString().getBytes(StandardCharsets.UTF_8), session)) {
      // no session left behind unrenewed: a later attempt creates a fresh one
      String unused = session;
      session = null;
      client.destroySession(unused);
      Optional<RolloutStatus.Driver> holder = holder(client, key);
      String who =
          holder
              .map(h -> h.name() + (h.since() == null ? "" : " since " + h.since()))
              .orElse("another session");
      throw new RolloutException(
          RolloutException.Kind.LOCK_HELD,
          "the rollout is driven by "
              + who
              + "; a second driver is refused. If that process is gone, Consul frees its lock"
              + " when its session expires (within twice its TTL); then run rollout resume");
    }
    held = true;
    long every = Math.max(1, ttl.toMillis() / 3);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hotconf-rollout-lock");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    String s = session;
    if (s == null || lost) {
      return;
    }
    try {
      if (!client.renewSession(s)) {
        lost = true;
        LOG.warn(
            "hotconf rollout: the lock session of {} expired (Consul out of reach for more than {}?)",
            key,
            Durations.format(ttl));
      }
    } catch (ConsulException e) {
      LOG.warn("hotconf rollout: cannot renew the lock session of {}: {}", key, e.getMessage());
    }
  }

  boolean held() {
    return held && !lost;
  }

  /** Whether the lock was held and its session is gone. */
  boolean lost() {
    return lost;
  }

  /** Stops renewing without telling Consul, as a killed process would. */
  synchronized void kill() {
    if (timer != null) {
      timer.shutdownNow();
    }
    held = false;
  }

  /** Releases the lock and destroys the session. Idempotent. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    String s = session;
    session = null;
    if (s == null) {
      return;
    }
    try {
      if (held && !lost) {
        JsonObject v = new JsonObject();
        v.addProperty("driver", name);
        v.addProperty("released", clock.instant().toString());
        client.release(key, v.toString().getBytes(StandardCharsets.UTF_8), s);
      }
      client.destroySession(s);
    } catch (ConsulException e) {
      LOG.warn(
          "hotconf rollout: could not release the lock {} ({}); it is free once its session"
              + " expires",
          key,
          e.getMessage());
    } finally {
      held = false;
    }
  }

  /** Who holds the lock at {@code key} now, if anyone (the session in its value still exists). */
  static Optional<RolloutStatus.Driver> holder(ConsulClient client, String key)
      throws ConsulException {
    Optional<ConsulClient.Entry> e = client.get(key);
    if (e.isEmpty()) {
      return Optional.empty();
    }
    String driver;
    String session;
    Instant since;
    try {
      JsonElement parsed = JsonParser.parseString(e.get().text());
      JsonObject o = parsed.getAsJsonObject();
      driver = o.has("driver") ? o.get("driver").getAsString() : "unknown";
      session = o.has("session") ? o.get("session").getAsString() : null;
      since = o.has("since") ? Instant.parse(o.get("since").getAsString()) : null;
    } catch (RuntimeException ex) {
      return Optional.empty();
    }
    if (session == null || !session.matches("[A-Za-z0-9-]+") || !client.sessionExists(session)) {
      return Optional.empty();
    }
    return Optional.of(new RolloutStatus.Driver(driver, since));
  }
}
