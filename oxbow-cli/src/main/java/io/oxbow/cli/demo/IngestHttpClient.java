package io.oxbow.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts log lines and orders to the ingest API as the agent does: with an API key, an
 * Idempotency-Key per batch (so a resent batch is written once), and retries with exponential
 * backoff (honouring {@code Retry-After}) on 503 and connection errors. A 4xx other than 429 is not
 * retried: it is a bug in what was sent and stops the replay with the server's message.
 */
final class IngestHttpClient {
  private static final Logger log = LoggerFactory.getLogger(IngestHttpClient.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final URI base;
  private final String apiKey;
  private final int maxAttempts;

  IngestHttpClient(URI base, String apiKey, int maxAttempts) {
    this.base = base;
    this.apiKey = apiKey;
    this.maxAttempts = maxAttempts;
  }

  /** Posts lines from one source; returns once the ingest app acknowledged them. */
  void postLines(String source, String idempotencyKey, List<byte[]> lines) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] line : lines) {
      body.write(line);
      body.write('\n');
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("/v1/logs"))
            .header("Content-Type", "text/plain")
            .header("X-Oxbow-Source", source)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    send(request, idempotencyKey);
  }

  /** Posts orders (JSON objects as the ingest API takes them). */
  void postOrders(String idempotencyKey, List<Map<String, Object>> orders) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("/v1/events/orders"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(orders)));
    send(request, idempotencyKey);
  }

  private void send(HttpRequest.Builder request, String idempotencyKey) throws IOException {
    request.header("Idempotency-Key", idempotencyKey).timeout(Duration.ofSeconds(30));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpRequest built = request.build();
    Duration backoff = Duration.ofMillis(100);
    for (int attempt = 1; ; attempt++) {
      String failure;
      Duration wait = backoff;
      try {
        HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 200) {
          return;
        }
        if (status != 503 && status != 429) {
          throw new IOException(
              built.method() + " " + built.uri() + " answered " + status + ": " + response.body());
        }
        failure = status + " " + response.body();
        wait =
            response
                .headers()
                .firstValue("Retry-After")
                .map(IngestHttpClient::seconds)
                .orElse(backoff);
      } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
        failure = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while sending to " + built.uri(), e);
      }
      if (attempt >= maxAttempts) {
        throw new IOException(
            "gave up on " + built.uri() + " after " + attempt + " attempts: " + failure);
      }
      log.debug("retrying {} in {} ({})", built.uri(), wait, failure);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait.toMillis()));
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private static Duration seconds(String retryAfter) {
    try {
      return Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }
}
