package dev.hotconf.spring;

import dev.hotconf.ConfigFailure;
import dev.hotconf.ConfigStatus;
import dev.hotconf.Problem;
import dev.hotconf.SourceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code hotconf} health contributor's answer, independent of Boot's health API (which moved
 * between Boot 3.5 and 4.0; each line has a thin indicator that turns this into its {@code
 * Health}). {@code UP} while the live version is the sources' latest and every source answers;
 * otherwise {@code hotconf.health.degraded-status} (UP by default), with the problems in the
 * details: {@code rejected} lists the rejected version's problems ({@code app.yaml:7:10:
 * db.pool.max: ...}), {@code sources} each source's state and last error. No secret values.
 * Immutable.
 *
 * @param status the status code
 * @param details what the health endpoint shows
 */
record HotConfigHealth(String status, Map<String, Object> details) {

  static HotConfigHealth of(HotConfigRuntime runtime) {
    ConfigStatus status = runtime.config().status();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("version", status.version());
    details.put("hash", status.hash());
    boolean degraded = status.rejecting();
    if (status.rejecting()) {
      ConfigFailure rejection = runtime.lastRejection();
      details.put("rejected", rejection == null ? List.of() : problems(rejection.problems()));
    }
    Map<String, Object> sources = new LinkedHashMap<>();
    for (SourceStatus s : status.sources()) {
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("state", s.state().name());
      if (s.lastError() != null) {
        source.put("error", s.lastError());
      }
      sources.put(s.name(), source);
      degraded |= s.state() != SourceStatus.State.OK;
    }
    details.put("sources", sources);
    if (status.fromLastKnownGood()) {
      details.put("fromLastKnownGood", true);
    }
    return new HotConfigHealth(
        degraded ? runtime.settings().health().degradedStatus() : "UP", details);
  }

  static List<String> problems(List<Problem> problems) {
    List<String> out = new ArrayList<>(problems.size());
    for (Problem p : problems) {
      out.add(p.toString());
    }
    return out;
  }
}
