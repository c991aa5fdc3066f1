package io.oxbow.serving.speed;

import io.oxbow.views.Aggregate;
import io.oxbow.views.AggregateCodec;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One view's speed groups by window start, from the windows after its eviction horizon on: the
 * batch watermark minus the retention margin. A window ending at or before the horizon is held by
 * the batch view and never read from the speed view (the seam is at or after it), so it leaves
 * memory ({@link #evictUpTo}) and a later record of it is not stored ({@link #put} returns false).
 * Written by one thread, read by any.
 */
final class SpeedWindows {
  final AggregateCodec codec;
  private final long windowMillis;
  private final AtomicLong sequence;
  private final NavigableMap<Long, Map<GroupKey, Aggregate>> windows =
      new ConcurrentSkipListMap<>();
  private final NavigableMap<Long, Long> changed = new ConcurrentSkipListMap<>();
  private final AtomicLong evicted = new AtomicLong();
  private volatile long horizon = Long.MIN_VALUE;

  SpeedWindows(ViewFolder folder, AtomicLong sequence) {
    this.codec = folder.codec();
    this.windowMillis = folder.definition().window().millis();
    this.sequence = sequence;
  }

  /** Stores the group unless its window ends at or before the horizon; true when stored. */
  boolean put(GroupKey key, Aggregate aggregate) {
    if (key.windowEnd() <= horizon) {
      return false;
    }
    windows.computeIfAbsent(key.windowStart(), w -> new ConcurrentHashMap<>()).put(key, aggregate);
    changed.put(key.windowStart(), sequence.incrementAndGet());
    return true;
  }

  void remove(GroupKey key) {
    if (key.windowEnd() <= horizon) {
      return; // not held
    }
    Map<GroupKey, Aggregate> window = windows.get(key.windowStart());
    if (window != null) {
      window.remove(key);
      if (window.isEmpty()) {
        windows.remove(key.windowStart(), window);
      }
    }
    changed.put(key.windowStart(), sequence.incrementAndGet());
  }

  /**
   * Drops every window ending at or before {@code newHorizon} (UTC epoch millis) and keeps such
   * windows out from then on; a horizon below the current one changes nothing.
   *
   * @return the groups dropped
   */
  long evictUpTo(long newHorizon) {
    if (newHorizon <= horizon) {
      return 0;
    }
    horizon = newHorizon;
    // a window ends at or before the horizon when it starts at or before horizon - window
    long lastStart = newHorizon - windowMillis;
    NavigableMap<Long, Map<GroupKey, Aggregate>> gone = windows.headMap(lastStart, true);
    long groups = 0;
    for (Map<GroupKey, Aggregate> window : gone.values()) {
      groups += window.size();
    }
    gone.clear();
    NavigableMap<Long, Long> goneChanges = changed.headMap(lastStart, true);
    if (!goneChanges.isEmpty()) {
      // the dropped range reads empty from now on: give it a new version
      long next = sequence.incrementAndGet();
      goneChanges.clear();
      changed.put(lastStart, next);
    }
    evicted.addAndGet(groups);
    return groups;
  }

  /** The horizon: windows ending at or before it are not held (UTC epoch millis). */
  long horizon() {
    return horizon;
  }

  /** Groups dropped by eviction since start. */
  long evicted() {
    return evicted.get();
  }

  long lastChange(long from, long to) {
    long last = 0;
    if (from < to) {
      for (long change : changed.subMap(from, true, to, false).values()) {
        last = Math.max(last, change);
      }
      if (from <= horizon - windowMillis) {
        // the range reaches into evicted windows: their last change is the eviction
        Map.Entry<Long, Long> floor = changed.floorEntry(horizon - windowMillis);
        if (floor != null) {
          last = Math.max(last, floor.getValue());
        }
      }
    }
    return last;
  }

  Map<GroupKey, Aggregate> read(long from, long to) {
    Map<GroupKey, Aggregate> out = new HashMap<>();
    if (from < to) {
      windows.subMap(from, true, to, false).values().forEach(out::putAll);
    }
    return out;
  }

  int size() {
    return windows.values().stream().mapToInt(Map::size).sum();
  }

  /** Windows held. */
  int windowCount() {
    return windows.size();
  }

  OptionalLong newestWindowEnd() {
    for (Map<GroupKey, Aggregate> window : windows.descendingMap().values()) {
      for (GroupKey key : window.keySet()) {
        return OptionalLong.of(key.windowEnd());
      }
    }
    return OptionalLong.empty();
  }
}
