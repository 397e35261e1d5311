package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigStatus;
import dev.hotconf.SourceStatus;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.consul.rollout.RolloutFollower;
import dev.hotconf.consul.rollout.RolloutSource;
import dev.hotconf.sidecar.filetarget.ApplyException;
import dev.hotconf.validate.ShrinkGuard;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders {@code GET /metrics} in the Prometheus text format (0.0.4). Every metric the README's
 * table lists, and no value of the configuration: source and target names are the only labels
 * (target URLs are already shown without credentials). Stateless.
 */
final class PrometheusText {
  private PrometheusText() {}

  /**
   * @param status the config's status, or null before the config is built
   * @param served what the sidecar serves, or null before anything
   * @param pinning the history and pin
   * @param targets the push targets (worker and splay gate)
   * @param guard the shrink guard, or null without {@code guard:}
   * @param acks the fleet acknowledger, or null without a {@code fleet:} section
   * @param follower the staged-rollout follower, or null when the sidecar follows none
   */
  static String render(
      ConfigStatus status,
      Published served,
      Pinning pinning,
      List<Publisher.Target> targets,
      ShrinkGuard guard,
      ConsulAcknowledger acks,
      RolloutFollower follower) {
    boolean ready = served != null;
    List<TargetWorker> workers = new ArrayList<>();
    targets.forEach(t -> workers.add(t.worker()));
    StringBuilder sb = new StringBuilder();
    ConfigStatus s = status;
    metric(
        sb,
        "hotconf_reloads_total",
        "counter",
        "Snapshots published.",
        s == null ? 0 : s.reloads());
    metric(
        sb,
        "hotconf_rejections_total",
        "counter",
        "Candidates rejected by validation.",
        s == null ? 0 : s.rejections());
    metric(
        sb,
        "hotconf_source_failures_total",
        "counter",
        "Failures reported by sources.",
        s == null ? 0 : s.sourceFailures());
    metric(
        sb,
        "hotconf_config_version",
        "gauge",
        "Version of the live snapshot (0 before the first).",
        s == null ? 0 : s.version());
    metric(sb, "hotconf_ready", "gauge", "1 once a valid snapshot is live.", ready ? 1 : 0);
    metric(
        sb,
        "hotconf_rejecting",
        "gauge",
        "1 while the sources' current content is rejected.",
        s != null && s.rejecting() ? 1 : 0);
    metric(
        sb,
        "hotconf_last_success_timestamp_seconds",
        "gauge",
        "When the live snapshot was published.",
        s == null || s.lastSuccess() == null ? 0 : s.lastSuccess().toEpochMilli() / 1000.0);
    header(sb, "hotconf_source_up", "gauge", "1 when the source's latest content is in use.");
    if (s != null) {
      for (SourceStatus src : s.sources()) {
        sample(
            sb,
            "hotconf_source_up",
            "source",
            src.name(),
            src.state() == SourceStatus.State.OK ? "1" : "0");
      }
    }
    header(sb, "hotconf_target_failures_total", "counter", "Failed push attempts per target.");
    for (TargetWorker w : workers) {
      sample(sb, "hotconf_target_failures_total", "target", w.name(), Long.toString(w.failures()));
    }
    header(sb, "hotconf_target_delivered_version", "gauge", "Newest version delivered per target.");
    for (TargetWorker w : workers) {
      sample(
          sb,
          "hotconf_target_delivered_version",
          "target",
          w.name(),
          Long.toString(w.deliveredVersion()));
    }
    header(
        sb,
        "hotconf_target_lag_seconds",
        "gauge",
        "How long the newest version has waited for delivery.");
    for (TargetWorker w : workers) {
      sample(
          sb,
          "hotconf_target_lag_seconds",
          "target",
          w.name(),
          Double.toString(w.lag().toMillis() / 1000.0));
    }
    header(
        sb,
        "hotconf_target_apply_failures_total",
        "counter",
        "File targets: versions not applied, by step (render, check, swap, reload).");
    for (TargetWorker w : workers) {
      if (w.target() instanceof FilePushTarget f) {
        for (ApplyException.Stage stage : ApplyException.Stage.values()) {
          sb.append("hotconf_target_apply_failures_total{target=\"")
              .append(escape(w.name()))
              .append("\",stage=\"")
              .append(stage.label())
              .append("\"} ")
              .append(f.failures(stage))
              .append('\n');
        }
      }
    }
    header(
        sb,
        "hotconf_target_splay_pending",
        "gauge",
        "1 while a version waits for its random splay before the target applies it.");
    for (Publisher.Target t : targets) {
      if (t.gate() != null) {
        sample(
            sb,
            "hotconf_target_splay_pending",
            "target",
            t.worker().name(),
            t.gate().pending() == null ? "0" : "1");
      }
    }
    metric(
        sb,
        "hotconf_guard_next_allowed",
        "gauge",
        "1 while the shrink guard lets the next version through (POST /v1/guard/allow).",
        guard != null && guard.isNextAllowed() ? 1 : 0);
    metric(
        sb,
        "hotconf_served_version",
        "gauge",
        "Version served and pushed (grows by one at each pin and unpin).",
        served == null ? 0 : served.version());
    Pinning.Pin pin = pinning.pin().orElse(null);
    metric(
        sb,
        "hotconf_pinned",
        "gauge",
        "1 while an operator's pin holds new versions back.",
        pin == null ? 0 : 1);
    metric(
        sb,
        "hotconf_pinned_version",
        "gauge",
        "Configuration version pinned (0 when none).",
        pin == null ? 0 : pin.entry().version());
    if (acks != null) {
      ConsulAcknowledger.Status a = acks.status();
      metric(
          sb,
          "hotconf_fleet_ack_in_sync",
          "gauge",
          "1 while Consul holds the acknowledgement this instance wants there.",
          a.inSync() ? 1 : 0);
      metric(
          sb,
          "hotconf_fleet_ack_writes_total",
          "counter",
          "Acknowledgements written to Consul.",
          a.writes());
      metric(
          sb,
          "hotconf_fleet_ack_failures_total",
          "counter",
          "Failed Consul requests of the acknowledger (writes, sessions, renewals).",
          a.failures());
    }
    if (follower != null) {
      RolloutFollower.Status r = follower.status();
      metric(
          sb,
          "hotconf_fleet_rollout_candidate",
          "gauge",
          "1 while this instance runs a staged rollout's candidate.",
          r.decision().role() == RolloutSource.Role.CANDIDATE ? 1 : 0);
      metric(
          sb,
          "hotconf_fleet_rollout_unhealthy",
          "gauge",
          "1 while this instance reports itself unhealthy with a staged rollout's candidate.",
          r.state().filter(AckState.UNHEALTHY::equals).isPresent() ? 1 : 0);
    }
    return sb.toString();
  }

  private static void metric(
      StringBuilder sb, String name, String type, String help, double value) {
    header(sb, name, type, help);
    sb.append(name).append(' ').append(number(value)).append('\n');
  }

  private static void sample(
      StringBuilder sb, String name, String label, String labelValue, String value) {
    sb.append(name)
        .append('{')
        .append(label)
        .append("=\"")
        .append(escape(labelValue))
        .append("\"} ")
        .append(value)
        .append('\n');
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
