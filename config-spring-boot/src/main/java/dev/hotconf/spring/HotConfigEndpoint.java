package dev.hotconf.spring;

import dev.hotconf.ConfigFailure;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigStatus;
import dev.hotconf.Problem;
import dev.hotconf.SourceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code hotconf} actuator endpoint ({@code GET /actuator/hotconf} once exposed with {@code
 * management.endpoints.web.exposure.include=health,hotconf}): the live version and hash, counters,
 * each source's state and the last rejection with its problems (key, file, line, column, message).
 * No secret values. Thread-safe.
 */
@Endpoint(id = "hotconf")
public class HotConfigEndpoint {
  private final HotConfigRuntime runtime;

  HotConfigEndpoint(HotConfigRuntime runtime) {
    this.runtime = runtime;
  }

  /** Where the configuration stands. */
  @ReadOperation
  public Report report() {
    ConfigStatus status = runtime.config().status();
    List<Source> sources = new ArrayList<>();
    for (SourceStatus s : status.sources()) {
      sources.add(
          new Source(
              s.name(), s.state().name(), text(s.since()), text(s.lastContent()), s.lastError()));
    }
    ConfigFailure rejection = runtime.lastRejection();
    return new Report(
        status.version(),
        status.hash(),
        text(status.lastSuccess()),
        status.rejecting(),
        status.fromLastKnownGood(),
        status.reloads(),
        status.rejections(),
        sources,
        rejection == null ? null : Rejection.of(rejection));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /**
   * The endpoint's answer.
   *
   * @param version the live version (0 before the first)
   * @param hash the live content hash
   * @param lastSuccess when the live version was published (ISO-8601)
   * @param rejecting whether the sources' latest content is rejected (the live version is behind)
   * @param fromLastKnownGood whether the live version came from the last-known-good file
   * @param reloads versions published
   * @param rejections versions rejected
   * @param sources each source's state, in precedence order
   * @param lastRejection the most recent rejection, or null when none ever happened
   */
  public record Report(
      long version,
      String hash,
      String lastSuccess,
      boolean rejecting,
      boolean fromLastKnownGood,
      long reloads,
      long rejections,
      List<Source> sources,
      Rejection lastRejection) {}

  /** One source's state ({@code OK}, {@code FAILING}, {@code MISSING}, {@code PENDING}). */
  public record Source(
      String name, String state, String since, String lastContent, String lastError) {}

  /** A rejected version: when, and every problem. */
  public record Rejection(String time, List<ProblemReport> problems) {
    static Rejection of(ConfigFailure failure) {
      List<ProblemReport> problems = new ArrayList<>();
      for (Problem p : failure.problems()) {
        ConfigOrigin o = p.origin();
        problems.add(
            new ProblemReport(
                p.key(),
                o == null ? null : o.location(),
                o == null ? 0 : o.line(),
                o == null ? 0 : o.column(),
                p.message(),
                p.toString()));
      }
      return new Rejection(failure.time().toString(), problems);
    }
  }

  /**
   * One problem: the key, where the offending value was written (file, 1-based line and column; 0
   * when unknown), the message, and all of it as one line ({@code app.yaml:7:10: db.pool.max:
   * ...}).
   */
  public record ProblemReport(
      String key, String file, int line, int column, String message, String text) {}
}
