package io.oxbow.serving.query;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The layer parts of recent queries, bounded by the rows and aggregates they hold (least recently
 * used evicted first). A key holds the whole query (except {@code limit}), the part's layer and
 * range, the seam and the layer's version of that range: a new batch publication, or a speed window
 * of the range that changed, gives another key, so an entry is never served for other data. A bound
 * of 0 caches nothing; a part heavier than the bound is not kept. Thread-safe; two queries missing
 * the same key at once both compute it.
 */
final class PartCache {
  private final long maxWeight;
  private final Map<Key, LayerPart> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long weight;
  private long hits;

  /**
   * The key of one part of one query.
   *
   * @param query the query, with {@code limit} 0
   * @param layer {@code batch} or {@code speed}
   * @param version the layer's version of the range
   * @param seam start of the first window answered from the speed view
   * @param from start of the part's range
   * @param to end of the part's range
   */
  record Key(Query query, String layer, Object version, long seam, long from, long to) {}

  /** A cache holding at most {@code maxWeight} rows and aggregates (0: nothing). */
  PartCache(long maxWeight) {
    this.maxWeight = maxWeight;
  }

  /** False when the bound is 0 (nothing is cached). */
  boolean enabled() {
    return maxWeight > 0;
  }

  /** The part cached under {@code key}, or the one {@code compute} gives (then kept). */
  LayerPart get(Key key, Supplier<LayerPart> compute) {
    synchronized (this) {
      LayerPart cached = entries.get(key);
      if (cached != null) {
        hits++;
        return cached;
      }
    }
    LayerPart part = compute.get();
    if (maxWeight > 0 && part.weight() <= maxWeight) {
      put(key, part);
    }
    return part;
  }

  private synchronized void put(Key key, LayerPart part) {
    LayerPart old = entries.put(key, part);
    weight += part.weight() - (old == null ? 0 : old.weight());
    Iterator<LayerPart> eldest = entries.values().iterator();
    while (weight > maxWeight && eldest.hasNext()) {
      weight -= eldest.next().weight();
      eldest.remove();
    }
  }

  /** Rows and aggregates held now. */
  synchronized long weight() {
    return weight;
  }

  /** Lookups answered from the cache since start. */
  synchronized long hits() {
    return hits;
  }
}
