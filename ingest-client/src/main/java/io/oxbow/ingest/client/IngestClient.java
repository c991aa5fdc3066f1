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
 * <p>With several instances ({@link IngestTarget#baseUrls()}) the client is sticky: it sends to one
 * instance while it answers, and moves to the next one ({@link IngestUrls}) when a request got no
 * answer (connection refused or reset, timeout) or a {@code 502}, {@code 503} or {@code 504}; the
 * next instance is tried at once, and the retry policy's wait comes only after every instance
 * failed in turn. The attempts of all instances count towards the policy's bound.
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
  private final IngestUrls urls;
  private final RetryPolicy policy;
  private final HttpClient http;

  /**
   * A client of {@code target} following {@code policy}.
   *
   * @throws IllegalArgumentException naming the file when the target's CA file cannot be read
   */
  public IngestClient(IngestTarget target, RetryPolicy policy) {
    this.target = target;
    this.urls = new IngestUrls(target.baseUrls());
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

  /** The URL requests go to now (the first, until a failure moved the client on). */
  public URI currentUrl() {
    return urls.url(urls.current());
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
    return send(new Call("/v1/logs", "text/plain", idempotencyKey, lines, source), keepTrying);
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
        new Call("/v1/events/orders", "application/json", idempotencyKey, jsonArray, null),
        () -> true);
  }

  /** One request, sent the same (key and bytes) to whichever instance. */
  private record Call(
      String path, String contentType, String idempotencyKey, byte[] body, String source) {
    Call {
      if (idempotencyKey == null || idempotencyKey.isBlank()) {
        throw new IllegalArgumentException("every ingest request needs an Idempotency-Key");
      }
    }
  }

  private HttpRequest request(Call call, URI baseUrl, int attempt) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(baseUrl.resolve(call.path()))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", call.contentType())
            .header("Idempotency-Key", call.idempotencyKey())
            // from the second attempt on the app first settles what another instance may have
            // written under this key
            .header("X-Oxbow-Attempt", String.valueOf(attempt))
            .POST(HttpRequest.BodyPublishers.ofByteArray(call.body()));
    if (call.source() != null) {
      builder.header("X-Oxbow-Source", call.source());
    }
    if (target.apiKey() != null) {
      builder.header("Authorization", "Bearer " + target.apiKey());
    }
    return builder.build();
  }

  private boolean send(Call call, BooleanSupplier keepTrying)
      throws IngestException, InterruptedException {
    // attempts since the last wait: a failed instance is followed at once by the next one, and the
    // client waits (backoff, Retry-After) only once every instance failed in turn
    int triedSinceWait = 0;
    int waits = 0;
    for (int attempt = 1; keepTrying.getAsBoolean(); attempt++) {
      int instance = urls.current();
      HttpRequest request = request(call, urls.url(instance), attempt);
      String name = request.method() + " " + request.uri();
      String failure;
      IOException cause = null;
      boolean failOver = true;
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
        failOver = RetryPolicy.failsOver(status);
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
      triedSinceWait++;
      if (failOver && urls.size() > 1) {
        int next = urls.failedOver(instance);
        log.info("{} {}; failing over to {}", name, failure, urls.url(next));
        if (triedSinceWait < urls.size()) {
          continue;
        }
      }
      triedSinceWait = 0;
      waits++;
      Duration wait = policy.delay(waits, retryAfter, ThreadLocalRandom.current());
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
