package io.oxbow.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Idempotency-Keys held in memory, bounded twice: at most {@code maxPerOwner} per owner (the
 * scope of a key without the key itself: endpoint and API key name) and {@code maxKeys} in all.
 * Past its own bound an owner forgets its own oldest key; past the total the owner holding the most
 * keys forgets its oldest. So one client sending endless new keys evicts only its own, never
 * another client's.
 *
 * <p>Keys are held as 128 bits of the scoped key's SHA-256, so memory per key stays small.
 */
final class KeyMemory {
  /** A scoped key in memory: 128 bits of its SHA-256. */
  private record KeyHash(long high, long low) {
    static KeyHash of(String scopedKey) {
      ByteBuffer digest =
          ByteBuffer.wrap(Fingerprints.sha256(scopedKey.getBytes(StandardCharsets.UTF_8)));
      return new KeyHash(digest.getLong(), digest.getLong());
    }
  }

  private final int maxKeys;
  private final int maxPerOwner;
  private final Map<String, LinkedHashMap<KeyHash, IdempotencyStore.Entry>> byOwner =
      new HashMap<>();
  private int size;

  KeyMemory(int maxKeys, int maxPerOwner) {
    this.maxKeys = maxKeys;
    this.maxPerOwner = maxPerOwner;
  }

  /** The owner of a scoped key {@code "endpoint principal key"}: all but the last word. */
  static String owner(String scopedKey) {
    int space = scopedKey.lastIndexOf(' ');
    return space < 0 ? "" : scopedKey.substring(0, space);
  }

  synchronized void put(String scopedKey, IdempotencyStore.Entry entry) {
    String owner = owner(scopedKey);
    LinkedHashMap<KeyHash, IdempotencyStore.Entry> keys =
        byOwner.computeIfAbsent(owner, o -> new LinkedHashMap<>());
    if (keys.put(KeyHash.of(scopedKey), entry) == null) {
      size++;
    }
    if (keys.size() > maxPerOwner) {
      forgetOldest(owner, keys);
    }
    while (size > maxKeys) {
      Map.Entry<String, LinkedHashMap<KeyHash, IdempotencyStore.Entry>> largest =
          byOwner.entrySet().stream()
              .max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size()))
              .orElseThrow();
      forgetOldest(largest.getKey(), largest.getValue());
    }
  }

  private void forgetOldest(String owner, LinkedHashMap<KeyHash, IdempotencyStore.Entry> keys) {
    Iterator<KeyHash> oldest = keys.keySet().iterator();
    oldest.next();
    oldest.remove();
    size--;
    if (keys.isEmpty()) {
      byOwner.remove(owner);
    }
  }

  synchronized IdempotencyStore.Entry get(String scopedKey) {
    Map<KeyHash, IdempotencyStore.Entry> keys = byOwner.get(owner(scopedKey));
    return keys == null ? null : keys.get(KeyHash.of(scopedKey));
  }

  synchronized void remove(String scopedKey) {
    String owner = owner(scopedKey);
    Map<KeyHash, IdempotencyStore.Entry> keys = byOwner.get(owner);
    if (keys != null && keys.remove(KeyHash.of(scopedKey)) != null) {
      size--;
      if (keys.isEmpty()) {
        byOwner.remove(owner);
      }
    }
  }

  /** Forgets every entry matching {@code expired}. */
  synchronized void removeIf(Predicate<IdempotencyStore.Entry> expired) {
    for (Iterator<Map<KeyHash, IdempotencyStore.Entry>> owners =
            new java.util.ArrayList<Map<KeyHash, IdempotencyStore.Entry>>(byOwner.values())
                .iterator();
        owners.hasNext(); ) {
      Map<KeyHash, IdempotencyStore.Entry> keys = owners.next();
      int before = keys.size();
      keys.values().removeIf(expired);
      size -= before - keys.size();
    }
    byOwner.values().removeIf(Map::isEmpty);
  }

  synchronized int size() {
    return size;
  }
}
