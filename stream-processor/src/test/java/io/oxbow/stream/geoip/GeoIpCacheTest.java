package io.oxbow.stream.geoip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GeoIpCacheTest {
  private final AtomicInteger lookups = new AtomicInteger();
  private String country = "RU";
  private final Function<String, GeoIpLookup.Result> store =
      client -> {
        lookups.incrementAndGet();
        return new GeoIpLookup.Result(country, "hit");
      };

  @Test
  void shouldAnswerARepeatedAddressFromTheCache() {
    GeoIpCache cache = new GeoIpCache(10);

    assertThat(cache.get("83.149.9.216", store).country()).isEqualTo("RU");
    assertThat(cache.get("83.149.9.216", store).country()).isEqualTo("RU");

    assertThat(lookups).hasValue(1);
  }

  @Test
  void shouldAskTheStoreAgainAfterAnyChangeOfIt() {
    GeoIpCache cache = new GeoIpCache(10);
    cache.get("83.149.9.216", store);

    country = "EE";
    cache.storeChanged();

    assertThat(cache.get("83.149.9.216", store).country()).isEqualTo("EE");
    assertThat(cache.get("83.149.9.216", store).country()).isEqualTo("EE");
    assertThat(lookups).hasValue(2);
  }

  @Test
  void shouldNotKeepAnAnswerComputedWhileTheStoreChanged() {
    GeoIpCache cache = new GeoIpCache(10);
    // the store changes after the lookup read the generation but before it answered
    Function<String, GeoIpLookup.Result> racing =
        client -> {
          GeoIpLookup.Result stale = store.apply(client);
          country = "EE";
          cache.storeChanged();
          return stale;
        };

    assertThat(cache.get("83.149.9.216", racing).country()).isEqualTo("RU");

    assertThat(cache.get("83.149.9.216", store).country()).isEqualTo("EE");
  }

  @Test
  void shouldAskTheStoreEveryTimeWhenTurnedOff() {
    GeoIpCache cache = new GeoIpCache(0);

    cache.get("83.149.9.216", store);
    cache.get("83.149.9.216", store);

    assertThat(lookups).hasValue(2);
  }
}
