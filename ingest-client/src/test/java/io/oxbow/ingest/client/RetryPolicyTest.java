package io.oxbow.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = RetryPolicy.defaults();

  @Test
  void shouldRetryOnlyAnswersThatCanChange() {
    assertThat(IntStream.rangeClosed(100, 599).filter(RetryPolicy::retries).boxed())
        .containsExactly(408, 409, 429, 500, 502, 503, 504);
  }

  @Test
  void shouldRetryFailuresWithoutAnAnswerButNotAnUntrustedCertificate() {
    assertThat(RetryPolicy.retries(new ConnectException("Connection refused"))).isTrue();
    assertThat(RetryPolicy.retries(new SocketException("Connection reset"))).isTrue();
    assertThat(RetryPolicy.retries(new HttpTimeoutException("request timed out"))).isTrue();
    assertThat(RetryPolicy.retries(new HttpConnectTimeoutException("connect timed out"))).isTrue();
    assertThat(RetryPolicy.retries(new IOException("header parser received no bytes"))).isTrue();
    assertThat(RetryPolicy.retries(new SSLHandshakeException("PKIX path building failed")))
        .isFalse();
  }

  @Test
  void shouldDoubleTheBackoffUpToItsBound() {
    assertThat(IntStream.rangeClosed(1, 9).mapToObj(policy::backoff).map(Duration::toMillis))
        .containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L);
    assertThat(policy.backoff(1_000_000)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void shouldJitterWithinHalfToAllOfTheBackoff() {
    RandomGenerator random = new SplittableRandom(7);
    for (int retry = 1; retry <= 12; retry++) {
      Duration base = policy.backoff(retry);
      for (int i = 0; i < 200; i++) {
        assertThat(policy.delay(retry, Optional.empty(), random))
            .isBetween(base.dividedBy(2), base);
      }
    }
    assertThat(
            IntStream.range(0, 50)
                .mapToObj(i -> policy.delay(5, Optional.empty(), random))
                .distinct()
                .count())
        .as("jitter spreads the retries of many clients")
        .isGreaterThan(10);
  }

  @Test
  void shouldWaitAtLeastTheServersRetryAfterButNoLongerThanItsCap() {
    RandomGenerator random = new SplittableRandom(1);
    assertThat(policy.delay(1, Optional.of(Duration.ofSeconds(3)), random))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(policy.delay(1, Optional.of(Duration.ofHours(1)), random))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.delay(9, Optional.of(Duration.ofSeconds(1)), random))
        .as("a longer backoff wins over a short Retry-After")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldReadRetryAfterAsSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2026-12-05T07:00:00Z");
    assertThat(RetryPolicy.parseRetryAfter("2", now)).contains(Duration.ofSeconds(2));
    assertThat(RetryPolicy.parseRetryAfter(" 0 ", now)).contains(Duration.ZERO);
    assertThat(RetryPolicy.parseRetryAfter("Sat, 05 Dec 2026 07:00:30 GMT", now))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryPolicy.parseRetryAfter("Sat, 05 Dec 2026 06:00:00 GMT", now))
        .contains(Duration.ZERO);
    assertThat(RetryPolicy.parseRetryAfter("soon", now)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter("-5", now)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter(null, now)).isEmpty();
  }

  @Test
  void shouldBoundAttemptsUnlessTheCallerStops() {
    assertThat(policy.exhausted(29)).isFalse();
    assertThat(policy.exhausted(30)).isTrue();
    assertThat(policy.withMaxAttempts(0).exhausted(1_000_000)).isFalse();
  }

  @Test
  void shouldRefuseABackoffThatCannotGrow() {
    assertThatThrownBy(() -> policy.withMaxBackoff(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff");
  }
}
