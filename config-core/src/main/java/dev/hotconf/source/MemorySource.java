package dev.hotconf.source;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * A source held in memory, updatable at run time: programmatic overrides, tests, examples. Content
 * is a map (nested maps and lists, or dotted keys) or a document text in any {@link ConfigFormat}.
 *
 * <p>Thread-safe; updates are delivered on the calling thread. Update methods never throw for bad
 * content: a parse error is delivered as a failure (the last good content stays).
 */
public final class MemorySource implements ConfigSource {
  private final String name;
  private volatile ConfigObject content;
  private volatile ConfigException failure;
  private volatile SourceListener listener;

  /** The document given to {@link Sources#text}, re-parsed at start if it failed (see there). */
  private ConfigFormat initialFormat;

  private String initialText;

  MemorySource(String name, ConfigObject initial, ConfigException initialFailure) {
    this.name = Objects.requireNonNull(name, "name");
    this.content = initial;
    this.failure = initialFailure;
  }

  /** A source whose initial document failed to parse: parsed again at start, see {@link #start}. */
  MemorySource(String name, ConfigFormat format, String text, ConfigException initialFailure) {
    this(name, null, initialFailure);
    this.initialFormat = format;
    this.initialText = text;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void start(SourceListener l) {
    this.listener = Objects.requireNonNull(l, "listener");
    if (failure != null && initialText != null) {
      // reported with the redactor of the configuration it feeds
      update(initialFormat, initialText);
      initialText = null;
      return;
    }
    if (failure != null) {
      l.onFailure(failure);
    } else if (content != null) {
      l.onContent(content);
    } else {
      l.onMissing("no content set");
    }
  }

  /** Replaces the content with a map (nested maps/lists or dotted keys). */
  public synchronized void update(Map<String, ?> values) {
    try {
      deliver(Trees.fromMap(values, ConfigOrigin.of(name, name)));
    } catch (ConfigException e) {
      fail(e);
    }
  }

  /**
   * Replaces the content with a parsed document; a parse error is delivered as a failure (with the
   * redactor of the configuration this source feeds, once started).
   */
  public synchronized void update(ConfigFormat format, String text) {
    SourceListener l = listener;
    try {
      deliver(
          format.parse(
              text.getBytes(StandardCharsets.UTF_8),
              ConfigOrigin.of(name, name),
              ParseLimits.defaults(),
              l == null ? Redactor.defaults() : l.redactor()));
    } catch (ConfigException e) {
      fail(e);
    }
  }

  /** Reports the content as gone (its last good content stays in use). */
  public synchronized void markMissing(String reason) {
    SourceListener l = listener;
    if (l != null) {
      l.onMissing(reason);
    }
  }

  private void deliver(ConfigObject newContent) {
    this.content = newContent;
    this.failure = null;
    SourceListener l = listener;
    if (l != null) {
      l.onContent(newContent);
    }
  }

  private void fail(ConfigException e) {
    this.failure = e;
    SourceListener l = listener;
    if (l != null) {
      l.onFailure(e);
    }
  }

  @Override
  public void close() {
    listener = null;
  }

  @Override
  public String toString() {
    return "MemorySource[" + name + "]";
  }
}
