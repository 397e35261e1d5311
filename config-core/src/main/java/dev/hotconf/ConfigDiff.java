package dev.hotconf;

import dev.hotconf.internal.PathSyntax;
import dev.hotconf.internal.TreeOps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The flattened difference between two configurations: added, removed and changed keys, sorted by
 * key, with old and new values. A change of origin alone (same value, other line) is not a change.
 * {@link #toString()} redacts secret values.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigDiff {
  private final List<KeyChange> changes;

  private ConfigDiff(List<KeyChange> changes) {
    this.changes = Collections.unmodifiableList(changes);
  }

  /** The difference from {@code before} to {@code after} (either may be null for "nothing"). */
  public static ConfigDiff between(ConfigSnapshot before, ConfigSnapshot after) {
    Redactor redactor =
        after != null ? after.redactor() : before != null ? before.redactor() : Redactor.defaults();
    return between(
        before == null ? null : before.values(), after == null ? null : after.values(), redactor);
  }

  /**
   * The difference between two trees (e.g. two parsed files; either may be null for "nothing"),
   * values shown through {@code redactor}.
   */
  public static ConfigDiff between(ConfigObject before, ConfigObject after, Redactor redactor) {
    return between(
        before == null ? null : TreeOps.flatten(before),
        after == null ? null : TreeOps.flatten(after),
        redactor);
  }

  /** The difference between two flattened value maps. */
  public static ConfigDiff between(
      NavigableMap<String, ConfigNode> before,
      NavigableMap<String, ConfigNode> after,
      Redactor redactor) {
    List<KeyChange> out = new ArrayList<>();
    Iterator<Map.Entry<String, ConfigNode>> a =
        before == null ? Collections.emptyIterator() : before.entrySet().iterator();
    Iterator<Map.Entry<String, ConfigNode>> b =
        after == null ? Collections.emptyIterator() : after.entrySet().iterator();
    Map.Entry<String, ConfigNode> x = a.hasNext() ? a.next() : null;
    Map.Entry<String, ConfigNode> y = b.hasNext() ? b.next() : null;
    while (x != null || y != null) {
      int cmp = x == null ? 1 : y == null ? -1 : x.getKey().compareTo(y.getKey());
      if (cmp < 0) {
        out.add(new KeyChange(x.getKey(), x.getValue(), null, redactor));
        x = a.hasNext() ? a.next() : null;
      } else if (cmp > 0) {
        out.add(new KeyChange(y.getKey(), null, y.getValue(), redactor));
        y = b.hasNext() ? b.next() : null;
      } else {
        if (!x.getValue().equals(y.getValue())) {
          out.add(new KeyChange(x.getKey(), x.getValue(), y.getValue(), redactor));
        }
        x = a.hasNext() ? a.next() : null;
        y = b.hasNext() ? b.next() : null;
      }
    }
    return new ConfigDiff(out);
  }

  /** Every change, sorted by key. */
  public List<KeyChange> changes() {
    return changes;
  }

  public List<KeyChange> added() {
    return ofKind(KeyChange.Kind.ADDED);
  }

  public List<KeyChange> removed() {
    return ofKind(KeyChange.Kind.REMOVED);
  }

  public List<KeyChange> changed() {
    return ofKind(KeyChange.Kind.CHANGED);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * The changes at or below {@code prefix} ({@code db} matches {@code db.url}, not {@code dbx}).
   */
  public ConfigDiff under(String prefix) {
    List<KeyChange> out = new ArrayList<>();
    for (KeyChange c : changes) {
      if (PathSyntax.isUnder(c.key(), prefix)) {
        out.add(c);
      }
    }
    return out.size() == changes.size() ? this : new ConfigDiff(out);
  }

  /** Whether anything at or below {@code prefix} changed. */
  public boolean touches(String prefix) {
    for (KeyChange c : changes) {
      if (PathSyntax.isUnder(c.key(), prefix)) {
        return true;
      }
    }
    return false;
  }

  private List<KeyChange> ofKind(KeyChange.Kind kind) {
    List<KeyChange> out = new ArrayList<>();
    for (KeyChange c : changes) {
      if (c.kind() == kind) {
        out.add(c);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** One line per change: {@code + key = value}, {@code - key}, {@code ~ key: old -> new}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (KeyChange c : changes) {
      sb.append(sb.length() == 0 ? "" : "\n").append(c);
    }
    return sb.toString();
  }
}
