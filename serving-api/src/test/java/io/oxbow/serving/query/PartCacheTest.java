package io.oxbow.serving.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.views.GroupKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PartCacheTest {
  private static final Query QUERY =
      new Query(
          "traffic",
          Instant.parse("2026-11-25T10:00:00Z"),
          Instant.parse("2026-11-25T11:00:00Z"),
          Granularity.MINUTE,
          List.of(),
          List.of("requests"),
          Map.of(),
          List.of(),
          0);

  private final AtomicInteger computed = new AtomicInteger();

  private static PartCache.Key key(Object version) {
    return new PartCache.Key(QUERY, "batch", version, 0, 0, 1);
  }

  private LayerPart part(int rows) {
    computed.incrementAndGet();
    List<RowData> list = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      list.add(new RowData(new GroupKey(i, i + 1, List.of()), Map.of(), Map.of()));
    }
    return new LayerPart(list, Map.of(), 0);
  }

  @Test
  void shouldComputeAPartOncePerVersionAndEvictTheLeastRecentlyUsedBeyondTheBytes() {
    long one = key(1).bytes() + part(4).bytes();
    computed.set(0);
    PartCache cache = new PartCache(2 * one + 10, 100);

    LayerPart first = cache.get(key(1), () -> part(4));
    assertThat(cache.get(key(1), () -> part(4))).isSameAs(first);
    cache.get(key(2), () -> part(4));
    cache.get(key(1), () -> part(4));
    cache.get(key(3), () -> part(4));

    assertThat(computed).hasValue(3);
    assertThat(cache.bytes()).isEqualTo(2 * one);
    assertThat(cache.entries()).isEqualTo(2);
    assertThat(cache.get(key(1), () -> part(4))).isSameAs(first);
    cache.get(key(2), () -> part(4));
    assertThat(computed).hasValue(4);
    assertThat(cache.hits()).isEqualTo(3);
  }

  @Test
  void shouldBoundPartsWithoutRowsByTheirCountAndTheirKeysBytes() {
    // queries over empty ranges, each with a new key: every one is kept, none is free
    PartCache cache = new PartCache(64L << 20, 50);

    for (int version = 0; version < 1_000; version++) {
      cache.get(key(version), () -> part(0));
    }

    assertThat(cache.entries()).isEqualTo(50);
    assertThat(cache.bytes()).isEqualTo(50 * (key(0).bytes() + part(0).bytes()));
    PartCache tight = new PartCache(10 * (key(0).bytes() + part(0).bytes()), 1_000);
    for (int version = 0; version < 1_000; version++) {
      tight.get(key(version), () -> part(0));
    }
    assertThat(tight.entries()).isEqualTo(10);
  }

  @Test
  void shouldNotKeepAPartHeavierThanTheBoundNorAnythingWithABoundOfZero() {
    PartCache small = new PartCache(part(4).bytes(), 10);
    small.get(key(1), () -> part(4));
    small.get(key(1), () -> part(4));
    PartCache none = new PartCache(0, 10);
    none.get(key(1), () -> part(0));
    none.get(key(1), () -> part(0));
    PartCache noEntries = new PartCache(1 << 20, 0);

    assertThat(computed).hasValue(5);
    assertThat(small.bytes()).isZero();
    assertThat(none.enabled()).isFalse();
    assertThat(noEntries.enabled()).isFalse();
  }
}
