package dev.hotconf.file;

import dev.hotconf.file.EventLog.Event;
import dev.hotconf.file.EventLog.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a burst of events replaced the tracked files only by renames, so that their
 * content is complete by construction and can be read after the short rename window instead of the
 * full quiet period. Stateless and thread-safe.
 *
 * <p>The rule, per tracked file that the burst touched (an event on its visible path, on a symbolic
 * link on the way to it, or on its real file now or at the last read):
 *
 * <ol>
 *   <li>its visible path, a link on its way (e.g. Kubernetes' {@code ..data}) or its real file was
 *       the target of a rename: a CREATE of it directly preceded, among the events of the same
 *       folder, by a DELETE of another name that is none of those (the JDK reports {@code rename(a,
 *       b)} as DELETE a, CREATE b);
 *   <li>after that rename, no event at all touched the visible path, the links or the new real file
 *       (nothing wrote into it once visible).
 * </ol>
 *
 * A file touched only by a final DELETE and now absent (a removed fragment) is complete too. A
 * burst that touched no tracked file at all (a busy log file next to the config) is not worth the
 * hurry: it waits for the quiet period, then the files are re-read and compared as always. Anything
 * else (an OVERFLOW, a CREATE with no rename in front, as in vim's save or a delete-and-recreate, a
 * MODIFY of the file itself) is not: the quiet period decides. Callers still check that the file
 * did not change while being read.
 */
final class FastPath {
  private FastPath() {}

  /** A file as resolved now. {@code real} and {@code previousReal} may be null. */
  record Tracked(Path given, Set<Path> chain, Path real, Path previousReal, boolean existsNow) {
    boolean onWay(Path p) {
      return p.equals(given) || chain.contains(p);
    }

    boolean touches(Path p) {
      return onWay(p) || p.equals(real) || p.equals(previousReal);
    }
  }

  static boolean eligible(List<Event> events, List<Tracked> tracked) {
    for (Event e : events) {
      if (e.path() == null) {
        return false; // OVERFLOW, REARM, RESCAN
      }
    }
    boolean touchedAny = false;
    for (Tracked t : tracked) {
      int rename = -1;
      int lastTouch = -1;
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        if (!t.touches(e.path())) {
          continue;
        }
        lastTouch = i;
        if (e.kind() == Kind.CREATE
            && (t.onWay(e.path()) || e.path().equals(t.real()))
            && renamedIn(events, i, t)) {
          rename = i;
        }
      }
      if (lastTouch < 0) {
        continue;
      }
      touchedAny = true;
      if (rename < 0) {
        if (!t.existsNow() && events.get(lastTouch).kind() == Kind.DELETE) {
          continue; // removed: nothing half-written about that
        }
        return false;
      }
      for (int i = rename + 1; i < events.size(); i++) {
        Path p = events.get(i).path();
        if (t.onWay(p) || p.equals(t.real())) {
          return false;
        }
      }
    }
    return touchedAny;
  }

  /** Whether the CREATE at {@code index} is the second half of a rename within its folder. */
  private static boolean renamedIn(List<Event> events, int index, Tracked t) {
    Path target = events.get(index).path();
    Path folder = target.getParent();
    for (int j = index - 1; j >= 0; j--) {
      Event before = events.get(j);
      if (!Objects.equals(before.path().getParent(), folder)) {
        continue;
      }
      return before.kind() == Kind.DELETE
          && !before.path().equals(target)
          && !t.onWay(before.path())
          && !before.path().equals(t.real());
    }
    return false;
  }

  /**
   * The symbolic links met while resolving {@code path} (absolute), {@code path} included, in the
   * order met; at most 40 hops. For a Kubernetes ConfigMap file: {@code app.yaml} and {@code
   * ..data}.
   */
  static Set<Path> linkChain(Path path) {
    Set<Path> links = new LinkedHashSet<>();
    links.add(path);
    Path current = path;
    int hops = 0;
    outer:
    while (hops < 40) {
      Path prefix = current.getRoot();
      int n = current.getNameCount();
      for (int i = 0; i < n; i++) {
        prefix = prefix == null ? current.getName(i) : prefix.resolve(current.getName(i));
        if (Files.isSymbolicLink(prefix)) {
          hops++;
          links.add(prefix);
          Path target;
          try {
            Path parent = prefix.getParent();
            Path link = Files.readSymbolicLink(prefix);
            target = parent == null ? link : parent.resolve(link);
          } catch (IOException | UnsupportedOperationException e) {
            break outer;
          }
          current = (i + 1 < n ? target.resolve(current.subpath(i + 1, n)) : target).normalize();
          continue outer;
        }
      }
      break;
    }
    return links;
  }
}
