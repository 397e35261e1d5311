package dev.hotconf.testing.consul;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Enqueued faults with their remaining uses; the first matching fault serves a request.
 * Thread-safe.
 */
final class FaultQueue {

  private static final class Slot {
    final Fault fault;
    int remaining; // Fault.UNLIMITED for "until cleared"

    Slot(Fault fault) {
      this.fault = fault;
      this.remaining = fault.rawTimes();
    }
  }

  private final List<Slot> slots = new ArrayList<>();

  synchronized void add(Fault fault) {
    slots.add(new Slot(fault));
  }

  synchronized void clear() {
    slots.clear();
  }

  synchronized int size() {
    return slots.size();
  }

  /**
   * Consumes one use of the first fault matching the request, or returns null when none matches.
   */
  synchronized Fault poll(String method, String path) {
    Iterator<Slot> it = slots.iterator();
    while (it.hasNext()) {
      Slot slot = it.next();
      if (!slot.fault.matches(method, path)) {
        continue;
      }
      if (slot.remaining != Fault.UNLIMITED && --slot.remaining == 0) {
        it.remove();
      }
      return slot.fault;
    }
    return null;
  }
}
