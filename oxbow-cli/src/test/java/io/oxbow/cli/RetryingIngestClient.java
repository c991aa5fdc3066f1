package io.oxbow.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * Posts to the ingest app as a careful client does while the app may be killed at any moment: each
 * request has its own {@code Idempotency-Key} and is sent again, with the same key and body, until
 * it is answered {@code 200} (connection refused or reset, 503 and 409 are retried; any other
 * answer fails the test). So every request is acknowledged exactly once.
 */
final class RetryingIngestClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI base;
  private final AtomicInteger retries = new AtomicInteger();

  RetryingIngestClient(URI base) {
    this.base = base;
  }

  /** Posts {@code body} (lines) from {@code source}; returns once acknowledged. */
  void postLines(String key, String source, byte[] body) {
    send(
        key,
        HttpRequest.newBuilder(base.resolve("/v1/logs"))
            .header("Content-Type", "text/plain")
            .header("X-Oxbow-Source", source)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** Posts a JSON array of orders; returns once acknowledged. */
  void postOrders(String key, String json) {
    send(
        key,
        HttpRequest.newBuilder(base.resolve("/v1/events/orders"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Requests sent again after a failure, so far. */
  int retries() {
    return retries.get();
  }

  private void send(String key, HttpRequest.Builder builder) {
    HttpRequest request =
        builder.header("Idempotency-Key", key).timeout(Duration.ofSeconds(20)).build();
    Awaitility.await("acknowledgement of " + key)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .pollInSameThread()
        .until(() -> attempt(request));
  }

  private boolean attempt(HttpRequest request) throws InterruptedException {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status == 200) {
        return true;
      }
      if (status != 503 && status != 409) {
        throw new AssertionError(request.uri() + " answered " + status + ": " + response.body());
      }
    } catch (IOException killedOrRestarting) {
      // connection refused or reset: the app is down; the same request is sent again
    }
    retries.incrementAndGet();
    return false;
  }
}
