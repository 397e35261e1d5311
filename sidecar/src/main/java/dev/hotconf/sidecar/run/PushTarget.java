package dev.hotconf.sidecar.run;

/** Somewhere a new version is delivered. {@link #deliver} throws on any failure (then retried). */
interface PushTarget {
  String name();

  void deliver(Published published) throws Exception;
}
