package io.oxbow.runtime.http.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oxbow.runtime.http.ApiException;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final ApiKey AGENT = new ApiKey("agent", EnumSet.of(Permission.LOGS));
  private static final ApiKey SHOP = new ApiKey("shop", EnumSet.of(Permission.ORDERS));

  private final AtomicLong now = new AtomicLong();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RateLimiter limiter = new RateLimiter(2, 3, meters, now::get);

  @Test
  void shouldAllowTheBurstThenAnswer429WithRetryAfterAndCountItPerKey() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire(AGENT, "10.0.0.1");
    }
    assertThatThrownBy(() -> limiter.acquire(AGENT, "10.0.0.1"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.headers()).containsEntry("Retry-After", "1");
            });
    limiter.acquire(SHOP, "10.0.0.1"); // another key has its own bucket
    assertThat(meters.counter("http.rate.limited", "key", "agent").count()).isEqualTo(1);
    assertThat(meters.find("http.rate.limited").tag("key", "shop").counter()).isNull();
  }

  @Test
  void shouldRefillAtTheConfiguredRate() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire(AGENT, "10.0.0.1");
    }
    now.addAndGet(499_000_000L); // just under one token at 2/s
    assertThatThrownBy(() -> limiter.acquire(AGENT, "10.0.0.1")).isInstanceOf(ApiException.class);
    now.addAndGet(2_000_000L);
    limiter.acquire(AGENT, "10.0.0.1");
  }

  @Test
  void shouldGiveEachAnonymousClientAddressItsOwnBucket() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire(ApiKey.ANONYMOUS, "10.0.0.1");
    }
    limiter.acquire(ApiKey.ANONYMOUS, "10.0.0.2");
    assertThatThrownBy(() -> limiter.acquire(ApiKey.ANONYMOUS, "10.0.0.1"))
        .isInstanceOf(ApiException.class);
    assertThat(meters.counter("http.rate.limited", "key", "anonymous").count()).isEqualTo(1);
  }
}
