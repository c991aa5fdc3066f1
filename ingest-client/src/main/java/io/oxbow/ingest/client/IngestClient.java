package io.oxbow.ingest.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client of the ingest API: posts log lines ({@code POST /v1/logs}, {@code text/plain}, one
 * source per request) and orders ({@code POST /v1/events/orders}, a JSON array) until the app
 * answers {@code 200}, following one {@link RetryPolicy}. Every attempt of a request carries the
 * same {@code Idempotency-Key} and bytes, so a request that got through before its answer was lost
 * is answered from the app's idempotency store instead of being written twice.
 *
 * <p>Sends {@code Authorization: Bearer <key>} when the {@link IngestTarget} has a key, trusts the
 * target's PEM certificate authorities (else the JVM's) for HTTPS, connects within 5 s and waits up
 * to 60 s for an answer (both retried as failures without an answer). Thread-safe: one client can
 * serve several senders.
 */
public final class IngestClient {
  private static final Logger log = LoggerFactory.getLogger(IngestClient.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final long STOP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final IngestTarget target;
  private final RetryPolicy policy;
  private final HttpClient http;

  /**
   * A client of {@code target} following {@code policy}.
   *
   * @throws IllegalArgumentException naming the file when the target's CA file cannot be read
   */
  public IngestClient(IngestTarget target, RetryPolicy policy) {
    this.target = target;
    this.policy = policy;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
    if (target.caFile() != null) {
      builder.sslContext(TrustedAuthorities.fromPem(target.caFile()));
    }
    this.http = builder.build();
  }

  /** The app this client sends to. */
  public IngestTarget target() {
    return target;
  }

  /**
   * Posts newline-separated log lines of one source and returns once they are acknowledged.
   *
   * @throws IngestException when the app refused them or the policy gave up
   */
  public void postLines(String source, String idempotencyKey, byte[] lines)
      throws IngestException, InterruptedException {
    postLines(source, idempotencyKey, lines, () -> true);
  }

  /**
   * Posts log lines, retrying while {@code keepTrying} holds.
   *
   * @return true once acknowledged; false when {@code keepTrying} turned false first
   * @throws IngestException when the app refused them or the policy gave up
   */
  public boolean postLines(
      String source, String idempotencyKey, byte[] lines, BooleanSupplier keepTrying)
      throws IngestException, InterruptedException {
    HttpRequest request =
        request("/v1/logs", "text/plain", idempotencyKey, lines)
            .header("X-Oxbow-Source", source)
            .build();
    return send(request, keepTrying);
  }

  /**
   * Posts orders (a JSON array of order objects, as the ingest API takes them) and returns once
   * they are acknowledged.
   *
   * @throws IngestException when the app refused them or the policy gave up
   */
  public void postOrders(String idempotencyKey, byte[] jsonArray)
      throws IngestException, InterruptedException {
    send(
        request("/v1/events/orders", "application/json", idempotencyKey, jsonArray).build(),
        () -> true);
  }

  private HttpRequest.Builder request(
      String path, String contentType, String idempotencyKey, byte[] body) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      throw new IllegalArgumentException("every ingest request needs an Idempotency-Key");
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", contentType)
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (target.apiKey() != null) {
      builder.header("Authorization", "Bearer " + target.apiKey());
    }
    return builder;
  }

  private URI endpoint(String path) {
    return target.baseUrl().resolve(path);
  }

  private boolean send(HttpRequest request, BooleanSupplier keepTrying)
      throws IngestException, InterruptedException {
    String name = request.method() + " " + request.uri();
    for (int attempt = 1; keepTrying.getAsBoolean(); attempt++) {
      String failure;
      IOException cause = null;
      Optional<Duration> retryAfter = Optional.empty();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 200) {
          return true;
        }
        if (!RetryPolicy.retries(status)) {
          throw IngestException.refused(name, status, response.body());
        }
        failure = "answered " + status + ": " + response.body();
        retryAfter =
            RetryPolicy.parseRetryAfter(
                response.headers().firstValue("Retry-After").orElse(null), Instant.now());
      } catch (IngestException e) {
        throw e;
      } catch (IOException e) {
        if (!RetryPolicy.retries(e)) {
          throw IngestException.failed(name, e);
        }
        failure = e.toString();
        cause = e;
      }
      if (policy.exhausted(attempt)) {
        throw IngestException.gaveUp(name, attempt, failure, cause);
      }
      Duration wait = policy.delay(attempt, retryAfter, ThreadLocalRandom.current());
      if (attempt % 10 == 0) {
        log.warn(
            "{} not acknowledged after {} attempts ({}); still retrying", name, attempt, failure);
      } else {
        log.debug("{} attempt {} {}; retrying in {}", name, attempt, failure, wait);
      }
      if (!pause(wait, keepTrying)) {
        return false;
      }
    }
    return false;
  }

  /** Waits, checking {@code keepTrying} every 100 ms; false when it turned false. */
  private static boolean pause(Duration wait, BooleanSupplier keepTrying)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      if (!keepTrying.getAsBoolean()) {
        return false;
      }
      LockSupport.parkNanos(Math.min(left, STOP_CHECK_NANOS));
      if (Thread.interrupted()) {
        throw new InterruptedException("stopped while waiting to retry");
      }
    }
    return true;
  }
}
