package io.oxbow.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A cap on the request bytes held in memory by all requests together. Requests reserve bytes as
 * they read their bodies and release them when answered; a reservation past the cap fails at once
 * (the request gets 503), so memory stays bounded and nothing queues without limit.
 */
final class InflightBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();

  InflightBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Reserves {@code bytes}; false (and nothing reserved) when that would pass the cap. */
  boolean tryReserve(long bytes) {
    while (true) {
      long current = used.get();
      long next = current + bytes;
      if (next > capacity) {
        return false;
      }
      if (used.compareAndSet(current, next)) {
        peak.accumulateAndGet(next, Math::max);
        return true;
      }
    }
  }

  /** Gives back {@code bytes} reserved earlier. */
  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes reserved now. */
  long used() {
    return used.get();
  }

  /** The most bytes ever reserved at once. */
  long peak() {
    return peak.get();
  }

  /** The cap. */
  long capacity() {
    return capacity;
  }
}
