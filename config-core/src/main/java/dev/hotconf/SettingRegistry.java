package dev.hotconf;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The settings the pipeline converts for every candidate. Held weakly, so accessors a program drops
 * are collected; held strongly while they have listeners. Guarded by the pipeline's publish lock.
 */
final class SettingRegistry {
  private final List<WeakReference<Accessor<?>>> settings = new ArrayList<>();
  private final Set<Accessor<?>> retained =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  void add(Accessor<?> setting) {
    settings.add(new WeakReference<>(setting));
  }

  void retain(Accessor<?> setting) {
    retained.add(setting);
  }

  void release(Accessor<?> setting) {
    retained.remove(setting);
  }

  /** Live settings; drops the collected ones. */
  List<Accessor<?>> live() {
    List<Accessor<?>> out = new ArrayList<>(settings.size());
    for (Iterator<WeakReference<Accessor<?>>> it = settings.iterator(); it.hasNext(); ) {
      Accessor<?> s = it.next().get();
      if (s == null) {
        it.remove();
      } else {
        out.add(s);
      }
    }
    return out;
  }

  int size() {
    return settings.size();
  }
}
