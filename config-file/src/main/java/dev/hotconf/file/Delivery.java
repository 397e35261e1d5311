package dev.hotconf.file;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Problem;
import dev.hotconf.file.DiskReader.Content;
import dev.hotconf.file.DiskReader.Failed;
import dev.hotconf.file.DiskReader.Listing;
import dev.hotconf.file.DiskReader.Missing;
import dev.hotconf.file.DiskReader.Result;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.source.SourceListener;
import dev.hotconf.source.Trees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a {@link FileSource}'s listener what was read, when it is news: compares each read's {@link
 * Outcome} with the last one delivered (so identical bytes, the same missing reason or the same
 * failure are delivered once), parses new bytes (reusing the previous parse of unchanged
 * fragments), merges a folder's fragments in name order, and calls {@code onContent}, {@code
 * onMissing} or {@code onFailure}. A listener that throws is logged and ignored. Scheduler thread
 * only.
 */
final class Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
  static final String ORIGIN_SOURCE = "file";

  private final String name;
  private final Path path;
  private final boolean directoryMode;
  private final ConfigFormat format;
  private final ParseLimits limits;
  private final SourceListener listener;

  private Outcome lastOutcome;
  private Map<String, Parsed> parsed = new HashMap<>();

  private record Parsed(String sha256, ConfigObject content, ConfigException error) {}

  /**
   * @param format the file's format; in directory mode the forced one, or null (by name)
   */
  Delivery(
      String name,
      Path path,
      boolean directoryMode,
      ConfigFormat format,
      ParseLimits limits,
      SourceListener listener) {
    this.name = name;
    this.path = path;
    this.directoryMode = directoryMode;
    this.format = format;
    this.limits = limits;
    this.listener = listener;
  }

  /** Delivers {@code listing} unless its outcome equals the last one delivered. */
  void deliver(Listing listing) {
    Outcome outcome = Outcome.of(listing);
    if (outcome.equals(lastOutcome)) {
      LOG.debug("hotconf {}: unchanged", name);
      return;
    }
    LOG.debug("hotconf {}: delivering {}", name, outcome);
    lastOutcome = outcome;
    try {
      if (listing.folder() instanceof Missing m) {
        listener.onMissing(m.reason());
      } else if (listing.folder() instanceof Failed f) {
        listener.onFailure(new ConfigException(Problem.at(origin(path), f.message())));
      } else if (!directoryMode) {
        deliverFile(listing.fragments().values().iterator().next());
      } else {
        deliverFolder(listing.fragments());
      }
    } catch (RuntimeException e) {
      LOG.error("hotconf {}: the listener threw; ignored", name, e);
    }
  }

  private void deliverFile(Result r) {
    if (r instanceof Missing m) {
      listener.onMissing(m.reason());
    } else if (r instanceof Failed f) {
      listener.onFailure(new ConfigException(Problem.at(origin(path), f.message())));
    } else {
      Parsed p = parse(path.getFileName().toString(), path, format, (Content) r);
      parsed = Map.of(path.getFileName().toString(), p);
      if (p.error() != null) {
        listener.onFailure(p.error());
      } else {
        listener.onContent(p.content());
      }
    }
  }

  private void deliverFolder(SortedMap<String, Result> fragments) {
    Map<String, Parsed> nowParsed = new HashMap<>();
    List<Problem> problems = new ArrayList<>();
    ConfigObject merged = ConfigObject.empty(origin(path));
    for (Map.Entry<String, Result> e : fragments.entrySet()) {
      Path fragment = path.resolve(e.getKey());
      if (e.getValue() instanceof Failed f) {
        problems.add(Problem.at(origin(fragment), f.message()));
      } else if (e.getValue() instanceof Content c) {
        ConfigFormat fmt = FragmentNames.fragmentFormat(e.getKey(), format).orElseThrow();
        Parsed p = parse(e.getKey(), fragment, fmt, c);
        nowParsed.put(e.getKey(), p);
        if (p.error() != null) {
          problems.addAll(p.error().problems());
        } else {
          merged = Trees.merge(merged, p.content());
        }
      }
    }
    parsed = nowParsed;
    if (!problems.isEmpty()) {
      listener.onFailure(new ConfigException(problems));
    } else {
      listener.onContent(merged);
    }
  }

  /** Parses, reusing the previous result for unchanged bytes. */
  private Parsed parse(String key, Path location, ConfigFormat fmt, Content c) {
    Parsed previous = parsed.get(key);
    if (previous != null && previous.sha256().equals(c.sha256())) {
      return previous;
    }
    try {
      return new Parsed(
          c.sha256(), fmt.parse(c.bytes(), origin(location), limits, listener.redactor()), null);
    } catch (ConfigException e) {
      return new Parsed(c.sha256(), null, e);
    } catch (RuntimeException e) {
      return new Parsed(
          c.sha256(),
          null,
          new ConfigException(
              Problem.at(origin(location), "cannot parse: " + e.getClass().getSimpleName())));
    }
  }

  private static ConfigOrigin origin(Path p) {
    return ConfigOrigin.of(ORIGIN_SOURCE, p.toString());
  }
}
