package dev.hotconf.testing.consul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Recorded requests in completion order, with a take cursor for {@code takeRequest}. Thread-safe.
 */
final class RequestLog {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition added = lock.newCondition();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private int taken;
  private long nextSequence;

  long nextSequence() {
    lock.lock();
    try {
      return nextSequence++;
    } finally {
      lock.unlock();
    }
  }

  void add(RecordedRequest request) {
    lock.lock();
    try {
      requests.add(request);
      added.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next request not yet taken, waiting up to {@code timeout}; null when none arrived in time.
   */
  RecordedRequest take(Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (taken >= requests.size()) {
        if (remaining <= 0) {
          return null;
        }
        remaining = added.awaitNanos(remaining);
      }
      return requests.get(taken++);
    } finally {
      lock.unlock();
    }
  }

  int count() {
    lock.lock();
    try {
      return requests.size();
    } finally {
      lock.unlock();
    }
  }

  List<RecordedRequest> snapshot() {
    lock.lock();
    try {
      return List.copyOf(requests);
    } finally {
      lock.unlock();
    }
  }

  void clear() {
    lock.lock();
    try {
      requests.clear();
      taken = 0;
      nextSequence = 0;
    } finally {
      lock.unlock();
    }
  }
}
