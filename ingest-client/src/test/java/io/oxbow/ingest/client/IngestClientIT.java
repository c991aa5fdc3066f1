package io.oxbow.ingest.client;

import static io.oxbow.ingest.client.ScriptedServer.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.ingest.client.ScriptedServer.Received;
import io.oxbow.ingest.client.ScriptedServer.Reset;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The retry policy against a real HTTP connection: each answer and failure, as the app gives it.
 */
class IngestClientIT {
  private static final byte[] LINES =
      "127.0.0.1 - - [05/Dec/2026:07:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n"
          .getBytes(StandardCharsets.UTF_8);
  private static final String OK = "{\"accepted\":1}";

  /** Short waits so the test is quick; the bound on Retry-After is 2 s. */
  private static final RetryPolicy FAST =
      new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2), 5);

  @Test
  void shouldResendA503WithTheSameKeyAndBytesUntilAcknowledged() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            answer(503, "{\"error\":\"busy\"}"), answer(503, "{}"), answer(200, OK))) {
      client(server, "k-1").postLines("web-1", "batch-1", LINES);

      List<Received> got = server.received();
      assertThat(got).hasSize(3);
      assertThat(got).extracting(r -> r.header("Idempotency-Key")).containsOnly("batch-1");
      assertThat(got).extracting(r -> r.header("Authorization")).containsOnly("Bearer k-1");
      assertThat(got).extracting(r -> r.header("X-Oxbow-Source")).containsOnly("web-1");
      assertThat(got).extracting(Received::requestLine).containsOnly("POST /v1/logs HTTP/1.1");
      assertThat(got).allSatisfy(r -> assertThat(r.body()).isEqualTo(LINES));
    }
  }

  @Test
  void shouldWaitForRetryAfterOn429() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            answer(429, "{\"error\":\"rate limit\"}", "Retry-After", "1"), answer(200, OK))) {
      client(server, null).postOrders("orders-1", "[{\"order_id\":\"o1\"}]".getBytes());

      List<Received> got = server.received();
      assertThat(got).hasSize(2);
      assertThat(got).extracting(r -> r.header("Idempotency-Key")).containsOnly("orders-1");
      assertThat(got.get(0).header("Authorization")).isNull();
      assertThat(TimeUnit.NANOSECONDS.toMillis(got.get(1).nanoTime() - got.get(0).nanoTime()))
          .as("the second attempt came after the server's Retry-After of 1 s")
          .isGreaterThanOrEqualTo(950);
    }
  }

  @Test
  void shouldCapAnOverlongRetryAfter() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(answer(503, "{}", "Retry-After", "3600"), answer(200, OK))) {
      long start = System.nanoTime();
      client(server, null).postLines("web-1", "batch-cap", LINES);

      assertThat(server.received()).hasSize(2);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("an hour asked, the policy's 2 s cap waited")
          .isBetween(Duration.ofMillis(1900), Duration.ofSeconds(30));
    }
  }

  @Test
  void shouldResendAfterAResetConnectionAnd502And504WithTheSameKey() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(new Reset(), answer(502, "{}"), answer(504, "{}"), answer(200, OK))) {
      client(server, null).postLines("web-1", "batch-reset", LINES);

      assertThat(server.received()).hasSize(4);
      assertThat(server.received())
          .extracting(r -> r.header("Idempotency-Key"))
          .containsOnly("batch-reset");
    }
  }

  @Test
  void shouldNotRetryA400AndSurfaceTheServersJsonError() throws Exception {
    String error =
        "{\"error\":\"1 NDJSON line(s) are invalid\",\"status\":400,"
            + "\"errors\":[{\"index\":0,\"field\":\"order_id\",\"message\":\"missing\"}]}";
    try (ScriptedServer server = new ScriptedServer(answer(400, error), answer(200, OK))) {
      assertThatThrownBy(() -> client(server, null).postLines("web-1", "batch-bad", LINES))
          .isInstanceOfSatisfying(
              IngestException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.serverError()).isEqualTo(error);
                assertThat(e.getMessage()).contains("/v1/logs answered 400").contains("order_id");
              });
      assertThat(server.received()).as("a 400 is sent once").hasSize(1);
    }
  }

  @Test
  void shouldGiveUpOnARefusedConnectionAfterTheBoundedAttempts() throws Exception {
    URI nothing;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nothing = URI.create("http://127.0.0.1:" + closed.getLocalPort());
    }
    IngestClient client = new IngestClient(IngestTarget.of(nothing, null), FAST);

    assertThatThrownBy(() -> client.postLines("web-1", "batch-refused", LINES))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("after 5 attempts")
        .hasMessageContaining("ConnectException");
  }

  @Test
  void shouldStopRetryingWhenTheCallerStops() throws Exception {
    try (ScriptedServer server = new ScriptedServer(answer(503, "{}"), answer(503, "{}"))) {
      IngestClient client =
          new IngestClient(IngestTarget.of(server.url(), null), FAST.withMaxAttempts(0));
      int[] checks = {0};

      boolean acknowledged = client.postLines("web-1", "batch-stop", LINES, () -> checks[0]++ < 2);

      assertThat(acknowledged).isFalse();
      assertThat(server.received()).hasSize(1);
    }
  }

  @Test
  void shouldFailOverToTheNextInstanceWithTheSameKeyAndBytesAndStayThere() throws Exception {
    try (ScriptedServer first = new ScriptedServer(answer(200, OK), new ScriptedServer.Reset());
        ScriptedServer second = new ScriptedServer(answer(200, OK), answer(200, OK))) {
      IngestClient client = client(first, second);

      client.postLines("web-1", "batch-1", LINES);
      client.postLines("web-1", "batch-2", LINES);
      client.postLines("web-1", "batch-3", LINES);

      assertThat(first.received())
          .extracting(r -> r.header("Idempotency-Key"))
          .as("sticky on the first until its connection was reset")
          .containsExactly("batch-1", "batch-2");
      assertThat(second.received())
          .extracting(r -> r.header("Idempotency-Key"))
          .as("the reset request resent to the second, which then keeps the traffic")
          .containsExactly("batch-2", "batch-3");
      assertThat(second.received().get(0).body()).isEqualTo(LINES);
      assertThat(client.currentUrl()).isEqualTo(second.url());
    }
  }

  @Test
  void shouldGoRoundEveryInstanceOnUnavailableAnswersAndKeep409OnTheSameInstance()
      throws Exception {
    try (ScriptedServer first =
            new ScriptedServer(
                answer(503, "{}"), answer(409, "{}", "Retry-After", "0"), answer(200, OK));
        ScriptedServer second = new ScriptedServer(answer(504, "{}"))) {
      IngestClient client = client(first, second);

      client.postLines("web-1", "batch-1", LINES);

      assertThat(first.received()).as("503, then back after the second's 504: 409, 200").hasSize(3);
      assertThat(second.received()).hasSize(1);
      assertThat(client.currentUrl()).isEqualTo(first.url());
    }
  }

  private static IngestClient client(ScriptedServer... instances) {
    return new IngestClient(
        new IngestTarget(
            java.util.Arrays.stream(instances).map(ScriptedServer::url).toList(), null, null),
        FAST);
  }

  private static IngestClient client(ScriptedServer server, String apiKey) {
    return new IngestClient(IngestTarget.of(server.url(), apiKey), FAST);
  }
}
