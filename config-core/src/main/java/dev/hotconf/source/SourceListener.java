package dev.hotconf.source;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;

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
}
