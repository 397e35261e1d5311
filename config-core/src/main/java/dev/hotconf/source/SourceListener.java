package dev.hotconf.source;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.Redactor;

/**
 * Receives a source's deliveries. Thread-safe: a source may call it from any thread. Each call
 * returns quickly (work is handed to the pipeline's own thread).
 */
public interface SourceListener {

  /** New content (a whole document, parsed). Replaces this source's previous content. */
  void onContent(ConfigObject content);

  /**
   * The content is gone (file deleted, key absent). The source's last good content keeps being used
   * and the status says "missing since"; at start, a missing source contributes nothing.
   */
  void onMissing(String reason);

  /** An attempt failed (parse error, I/O, unreachable). The last good content keeps being used. */
  void onFailure(ConfigException error);

  /**
   * The redactor of the configuration this listener feeds. Pass it to {@link
   * dev.hotconf.parse.ConfigFormat#parse(byte[], dev.hotconf.ConfigOrigin,
   * dev.hotconf.parse.ParseLimits, Redactor)} so that parse messages hide what the configuration's
   * messages hide (YAML alias and tag names under its secret keys). By default {@link
   * Redactor#defaults()}.
   */
  default Redactor redactor() {
    return Redactor.defaults();
  }
}
