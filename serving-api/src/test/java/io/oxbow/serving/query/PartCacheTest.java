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
    return new LayerPart(list, Map.of());
  }

  @Test
  void shouldComputeAPartOncePerVersionAndEvictTheLeastRecentlyUsedBeyondTheBound() {
    PartCache cache = new PartCache(10);

    LayerPart first = cache.get(key(1), () -> part(4));
    assertThat(cache.get(key(1), () -> part(4))).isSameAs(first);
    cache.get(key(2), () -> part(4));
    cache.get(key(1), () -> part(4));
    cache.get(key(3), () -> part(4));

    assertThat(computed).hasValue(3);
    assertThat(cache.weight()).isEqualTo(8);
    assertThat(cache.get(key(1), () -> part(4))).isSameAs(first);
    cache.get(key(2), () -> part(4));
    assertThat(computed).hasValue(4);
    assertThat(cache.hits()).isEqualTo(3);
  }

  @Test
  void shouldNotKeepAPartHeavierThanTheBoundNorAnythingWithABoundOfZero() {
    PartCache small = new PartCache(3);
    small.get(key(1), () -> part(4));
    small.get(key(1), () -> part(4));
    PartCache none = new PartCache(0);
    none.get(key(1), () -> part(0));
    none.get(key(1), () -> part(0));

    assertThat(computed).hasValue(4);
    assertThat(small.weight()).isZero();
    assertThat(none.enabled()).isFalse();
  }
}
