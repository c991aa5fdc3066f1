package io.oxbow.ingest.client;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * When and how long {@link IngestClient} waits before sending a request again (always with the same
 * Idempotency-Key and the same bytes, so the ingest app writes it at most once).
 *
 * <ul>
 *   <li>Retried answers: {@code 408} (the request arrived too slowly), {@code 409} (the same key is
 *       being processed right now), {@code 429} (rate limit), {@code 500}, {@code 502}, {@code 503}
 *       (memory cap, or Kafka refused the records: nothing written), {@code 504} (outcome unknown:
 *       the same key resolves it).
 *   <li>Retried failures: any {@link IOException} without an answer (connection refused or reset,
 *       connect or request timeout, a closed stream), except a TLS handshake or peer verification
 *       failure: an untrusted certificate stays untrusted.
 *   <li>Never retried: every other status, in particular 4xx other than 408, 409 and 429 (the
 *       request is wrong and would be refused again; the caller gets the server's JSON error).
 *   <li>Wait before retry {@code n} (1, 2, ...): {@code initialBackoff * 2^(n-1)} capped at {@code
 *       maxBackoff}, with jitter (uniform in [half, all] of it), and at least the server's {@code
 *       Retry-After} (seconds or an HTTP date) capped at {@code maxRetryAfter}.
 *   <li>Bound: at most {@code maxAttempts} attempts in all ({@code 0}: until the caller stops),
 *       counting the attempts on every instance.
 *   <li>Several instances: see {@link #failsOver(int)}; the wait comes once every instance failed
 *       in turn, and its backoff doubles per such round.
 * </ul>
 *
 * @param initialBackoff the wait before the first retry (default 100 ms)
 * @param maxBackoff the longest backoff (default 10 s)
 * @param maxRetryAfter the longest {@code Retry-After} honoured (default 60 s): a server asking for
 *     an hour is asked again sooner
 * @param maxAttempts attempts in all before giving up (default 30, about 4 minutes at the
 *     defaults); 0 retries until the caller's stop condition turns false
 */
public record RetryPolicy(
    Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter, int maxAttempts) {
  private static final Set<Integer> RETRIED_STATUSES = Set.of(408, 409, 429, 500, 502, 503, 504);

  /** Checks the values. */
  public RetryPolicy {
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
    }
    if (maxRetryAfter.isNegative() || maxAttempts < 0) {
      throw new IllegalArgumentException("maxRetryAfter and maxAttempts must not be negative");
    }
  }

  /** 100 ms doubling to 10 s, Retry-After honoured up to 60 s, 30 attempts. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(60), 30);
  }

  /** This policy with another longest backoff (at least the initial backoff). */
  public RetryPolicy withMaxBackoff(Duration max) {
    return new RetryPolicy(initialBackoff, max, maxRetryAfter, maxAttempts);
  }

  /** This policy with another bound on attempts ({@code 0}: until the caller stops). */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(initialBackoff, maxBackoff, maxRetryAfter, attempts);
  }

  /** Whether an answer with this status is worth sending again. */
  public static boolean retries(int status) {
    return RETRIED_STATUSES.contains(status);
  }

  /**
   * Whether an answer with this status moves a client with several ingest URLs to the next one:
   * {@code 502}, {@code 503} and {@code 504} (a proxy without a healthy instance behind it, an
   * instance out of memory budget or cut off from Kafka, an outcome this instance could not
   * confirm). Failures without an answer fail over too. {@code 409} (this instance is writing the
   * same key right now), {@code 408}, {@code 429} and {@code 500} are retried on the same URL.
   */
  public static boolean failsOver(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  /** Whether a request that failed without an answer is worth sending again. */
  public static boolean retries(IOException failure) {
    return !(failure instanceof SSLHandshakeException
        || failure instanceof SSLPeerUnverifiedException);
  }

  /** Whether {@code attempts} attempts use up the bound. */
  public boolean exhausted(int attempts) {
    return maxAttempts > 0 && attempts >= maxAttempts;
  }

  /**
   * The wait before retry number {@code retry} (1 for the first).
   *
   * @param retryAfter the server's {@code Retry-After}, if it sent one
   * @param random the source of jitter
   */
  public Duration delay(int retry, Optional<Duration> retryAfter, RandomGenerator random) {
    Duration base = backoff(retry);
    long halfNanos = base.toNanos() / 2;
    Duration jittered =
        Duration.ofNanos(halfNanos + random.nextLong(base.toNanos() - halfNanos + 1));
    Duration asked = retryAfter.map(d -> min(d, maxRetryAfter)).orElse(Duration.ZERO);
    return jittered.compareTo(asked) >= 0 ? jittered : asked;
  }

  /** The backoff of retry number {@code retry} before jitter: doubling, capped at the maximum. */
  public Duration backoff(int retry) {
    int doublings = Math.max(0, Math.min(retry - 1, 30));
    long nanos = initialBackoff.toNanos();
    for (int i = 0; i < doublings && nanos < maxBackoff.toNanos(); i++) {
      nanos *= 2;
    }
    return min(Duration.ofNanos(nanos), maxBackoff);
  }

  /**
   * A {@code Retry-After} value: delay-seconds or an HTTP date (RFC 9110), relative to {@code now};
   * empty when absent or unreadable, zero when the date has passed.
   */
  public static Optional<Duration> parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.trim();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration left = Duration.between(now, at);
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
