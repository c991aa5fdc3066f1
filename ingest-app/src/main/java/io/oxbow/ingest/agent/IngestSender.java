package io.oxbow.ingest.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts batches of lines to the ingest app ({@code POST /v1/logs}, {@code text/plain}) until it
 * answers 200. Connection failures, 408, 409, 429 and 5xx are retried with exponential backoff (100
 * ms doubling up to the maximum, with jitter, at least the server's Retry-After); any other answer
 * is a {@link RejectedException}, since sending the same batch again cannot succeed.
 */
final class IngestSender {
  private static final Logger log = LoggerFactory.getLogger(IngestSender.class);

  private final URI endpoint;
  private final String apiKey;
  private final Duration maxBackoff;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  IngestSender(URI baseUrl, String apiKey, Duration maxBackoff) {
    this.endpoint = baseUrl.resolve("/v1/logs");
    this.apiKey = apiKey;
    this.maxBackoff = maxBackoff;
  }

  /** The ingest app refused a batch for a reason retrying cannot fix. */
  static final class RejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RejectedException(String message) {
      super(message);
    }
  }

  /**
   * Sends until acknowledged.
   *
   * @return false when {@code running} turned false before an acknowledgement
   * @throws RejectedException on a non-retryable answer
   */
  boolean send(String source, String idempotencyKey, byte[] lines, BooleanSupplier running) {
    long backoffMs = 100;
    int attempt = 0;
    while (running.getAsBoolean()) {
      attempt++;
      long retryAfterMs = 0;
      try {
        HttpResponse<String> response =
            client.send(
                request(source, idempotencyKey, lines), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 200) {
          return true;
        }
        if (!(status == 408 || status == 409 || status == 429 || status >= 500)) {
          throw new RejectedException("the ingest app answered " + status + ": " + response.body());
        }
        retryAfterMs =
            response.headers().firstValue("Retry-After").map(IngestSender::seconds).orElse(0L);
        log.debug("attempt {} got {}; retrying", attempt, status);
      } catch (IOException e) {
        log.debug("attempt {} failed: {}", attempt, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (attempt % 10 == 0) {
        log.warn(
            "batch {} not acknowledged after {} attempts; still retrying", idempotencyKey, attempt);
      }
      long jittered = backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(jittered, retryAfterMs)));
      backoffMs = Math.min(backoffMs * 2, maxBackoff.toMillis());
    }
    return false;
  }

  private HttpRequest request(String source, String idempotencyKey, byte[] lines) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "text/plain")
            .header("X-Oxbow-Source", source)
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofByteArray(lines));
    if (apiKey != null && !apiKey.isBlank()) {
      builder.header("Authorization", "Bearer " + apiKey);
    }
    return builder.build();
  }

  private static long seconds(String text) {
    try {
      return TimeUnit.SECONDS.toMillis(Long.parseLong(text.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
