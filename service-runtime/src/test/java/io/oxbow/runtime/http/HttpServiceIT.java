package io.oxbow.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServiceIT {
  private final HttpClient client = HttpClient.newHttpClient();
  private final ObjectMapper mapper = new ObjectMapper();
  private final AtomicBoolean dependencyUp = new AtomicBoolean(true);
  private final AtomicInteger checkRuns = new AtomicInteger();
  private HttpService http;

  @BeforeEach
  void start() {
    http =
        HttpService.builder("test")
            .host("127.0.0.1")
            .port(0)
            .limits(withMinimumRate("16KiB"))
            .readiness(
                "dependency",
                timeout -> {
                  checkRuns.incrementAndGet();
                  if (!dependencyUp.get()) {
                    throw new IllegalStateException("dependency unreachable");
                  }
                })
            .stopTimeout(Duration.ofSeconds(2))
            .routes(
                r -> {
                  r.post("/v1/things", ctx -> ctx.json(Map.of("accepted", 1)));
                  r.post("/v1/read", ctx -> ctx.json(Map.of("bytes", ctx.bodyAsBytes().length)));
                  r.post(
                      "/v1/reject",
                      ctx -> {
                        throw new ApiException(400, "rejected unread");
                      });
                  r.get(
                      "/v1/bad",
                      ctx -> {
                        throw new ApiException(
                            400,
                            "validation failed",
                            List.of(new ApiException.FieldError(2, "amount", "must be positive")),
                            Map.of("X-Reason", "validation"));
                      });
                  r.post(
                      "/v1/locked",
                      ctx -> {
                        throw new ApiException(401, "no API key");
                      });
                  r.get(
                      "/v1/busy",
                      ctx -> {
                        throw ApiException.unavailable("overloaded", 3);
                      });
                  r.get(
                      "/v1/boom",
                      ctx -> {
                        throw new IllegalStateException("secret internals");
                      });
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    http.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    return mapper.readTree(response.body());
  }

  @Test
  void shouldReportLiveAndReadyWhenChecksPass() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).at("/checks/dependency/status").asText()).isEqualTo("UP");
  }

  @Test
  void shouldAnswer503NamingTheFailingCheck() throws Exception {
    dependencyUp.set(false);
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonNode body = json(ready);
    assertThat(body.path("status").asText()).isEqualTo("DOWN");
    assertThat(body.at("/checks/dependency/error").asText()).contains("dependency unreachable");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldServePrometheusMetricsWithJvmAndRequestMeters() throws Exception {
    get("/health/live");
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("jvm_memory_used_bytes")
        .contains("http_server_requests_seconds_count")
        .contains("route=\"/health/live\"");
  }

  @Test
  void shouldAnswerJsonErrorsForUnknownPathAndWrongMethod() throws Exception {
    HttpResponse<String> notFound = get("/nope");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(json(notFound).path("error").asText()).contains("/nope");

    HttpResponse<String> wrongMethod = get("/v1/things");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(json(wrongMethod).path("error").asText()).contains("GET");
  }

  @Test
  void shouldTurnApiExceptionsIntoJsonWithFieldErrorsAndHeaders() throws Exception {
    HttpResponse<String> bad = get("/v1/bad");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("X-Reason")).hasValue("validation");
    JsonNode body = json(bad);
    assertThat(body.at("/errors/0/index").asInt()).isEqualTo(2);
    assertThat(body.at("/errors/0/field").asText()).isEqualTo("amount");

    HttpResponse<String> busy = get("/v1/busy");
    assertThat(busy.statusCode()).isEqualTo(503);
    assertThat(busy.headers().firstValue("Retry-After")).hasValue("3");
  }

  @Test
  void shouldHideInternalsOfUnexpectedFailures() throws Exception {
    HttpResponse<String> boom = get("/v1/boom");
    assertThat(boom.statusCode()).isEqualTo(500);
    assertThat(boom.body()).doesNotContain("secret internals").doesNotContain("at io.oxbow");
    assertThat(json(boom).path("status").asInt()).isEqualTo(500);
  }

  @Test
  void shouldStopWithinItsBound() {
    long begin = System.nanoTime();
    http.close();
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void kafkaCheckShouldFailWhenNoBrokerAnswers() {
    try (KafkaReadinessCheck check = KafkaReadinessCheck.of("127.0.0.1:1")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> check.check(Duration.ofMillis(500)))
          .isInstanceOf(Exception.class);
    }
  }

  @Test
  void shouldAnswerAnUnauthenticatedClientStillSendingALargeBodyWithoutReadingIt()
      throws Exception {
    int length = 16 * 1024 * 1024; // more than both ends' socket buffers hold
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      CompletableFuture<Long> sending = sendAsync(out, "/v1/locked", length, 0);
      String answer = readUntil(socket.getInputStream(), "}");

      assertThat(answer).startsWith("HTTP/1.1 401").contains("\"error\":\"no API key\"");
      assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
      // the server read none of the body: the sender stalls once the socket buffers are full
      assertThat(sending).failsWithin(Duration.ofSeconds(10));
    }
  }

  @Test
  void shouldDropASmallUnreadBodyBeforeAnErrorAndKeepTheConnection() throws Exception {
    int length = 512 * 1024; // within the default error drain of 1 MiB
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      CompletableFuture<Long> sending = sendAsync(out, "/v1/reject", length, 0);
      assertThat(sending).succeedsWithin(Duration.ofSeconds(10));
      out.write(
          "GET /health/live HTTP/1.1\r\nHost: oxbow\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answers = readUntil(socket.getInputStream(), "\"UP\"");

      assertThat(answers).startsWith("HTTP/1.1 400").contains("rejected unread");
      assertThat(answers.indexOf("HTTP/1.1 200")).isGreaterThan(answers.indexOf("rejected unread"));
    }
  }

  @Test
  void shouldStopDroppingASlowBodyAfterTheDrainTimeAndCloseAfterTheAnswer() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      socket.setSoTimeout(10_000);
      long begin = System.nanoTime();
      // 256 KiB declared, 1 KiB every 50 ms: would take 13 s to arrive
      CompletableFuture<Long> sending =
          sendAsync(socket.getOutputStream(), "/v1/reject", 256 * 1024, 50);
      String answer = readUntil(socket.getInputStream(), "}");

      assertThat(answer).startsWith("HTTP/1.1 400").contains("rejected unread");
      assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(3));
      sending.cancel(true);
    }
  }

  @Test
  void shouldCutOffABodyArrivingBelowTheMinimumRateWith408() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      socket.setSoTimeout(20_000);
      long begin = System.nanoTime();
      // 1 KiB every 100 ms is 10 KiB/s, below the configured minimum of 16 KiB/s
      CompletableFuture<Long> sending =
          sendAsync(socket.getOutputStream(), "/v1/read", 512 * 1024, 100);
      String answer = readUntil(socket.getInputStream(), "}");

      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"status\":408");
      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
      sending.cancel(true);
    }
  }

  @Test
  void shouldAnswerAHeaderTooLargeWith431Json() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(http.baseUrl() + "/health/live"))
                .header("X-Big", "x".repeat(40 * 1024))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(431);
    assertThat(json(response).path("status").asInt()).isEqualTo(431);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldRunTheReadinessChecksOncePerCacheTimeWhateverTheProbes() throws Exception {
    long begin = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> probes = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      probes.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(http.baseUrl() + "/health/ready")).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (var probe : probes) {
      assertThat(probe.get().statusCode()).isEqualTo(200);
    }
    // one run per started second of the 1 s cache at most, however many probes came
    long seconds = Duration.ofNanos(System.nanoTime() - begin).toSeconds();
    assertThat(checkRuns.get()).isBetween(1, (int) seconds + 1).isLessThan(probes.size() / 10);
  }

  /** Sends a POST of {@code length} zero bytes in 1 KiB chunks, pausing {@code pauseMs} between. */
  @Test
  void shouldAcceptASmallBodyWhoseBytesArriveApartUnlessAMinimumRateIsSet() throws Exception {
    // the minimum rate is measured from the body's first read with no grace: two bytes 200 ms
    // apart are "1 byte in 200 ms", which is why the default is off
    try (HttpService lenient =
            HttpService.builder("lenient")
                .host("127.0.0.1")
                .port(0)
                .limits(HttpLimits.defaults())
                .routes(r -> r.post("/v1/read", ctx -> ctx.json(bodySize(ctx.bodyAsBytes()))))
                .build()
                .start();
        Socket toDefault = new Socket("127.0.0.1", lenient.port());
        Socket toStrict = new Socket("127.0.0.1", http.port())) {
      assertThat(twoBytesApart(toDefault)).startsWith("HTTP/1.1 200").contains("\"bytes\":2");
      assertThat(twoBytesApart(toStrict)).startsWith("HTTP/1.1 408");
    }
  }

  private static Map<String, Integer> bodySize(byte[] body) {
    return Map.of("bytes", body.length);
  }

  private static String twoBytesApart(Socket socket) throws Exception {
    socket.setSoTimeout(20_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /v1/read HTTP/1.1\r\nHost: oxbow\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 2\r\n\r\nx")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    var scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      scheduler
          .schedule(
              () -> {
                out.write('y');
                out.flush();
                return null;
              },
              200,
              TimeUnit.MILLISECONDS)
          .get();
      return readUntil(socket.getInputStream(), "}");
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static HttpLimits withMinimumRate(String rate) {
    return HttpLimits.from(
        io.oxbow.runtime.config.ConfigSource.ofFlags(
            Map.of(HttpLimits.MIN_REQUEST_DATA_RATE.key(), rate)));
  }

  private static CompletableFuture<Long> sendAsync(
      OutputStream out, String path, int length, long pauseMs) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            out.write(
                ("POST "
                        + path
                        + " HTTP/1.1\r\nHost: oxbow\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: "
                        + length
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[pauseMs > 0 ? 1024 : 64 * 1024];
            long sent = 0;
            while (sent < length) {
              out.write(chunk);
              out.flush();
              sent += chunk.length;
              if (pauseMs > 0) {
                TimeUnit.MILLISECONDS.sleep(pauseMs);
              }
            }
            return sent;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        },
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "slow-sender");
              t.setDaemon(true);
              return t;
            }));
  }

  private static String readUntil(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (!seen.toString(StandardCharsets.US_ASCII).contains(marker)) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      seen.write(buffer, 0, n);
    }
    return seen.toString(StandardCharsets.US_ASCII);
  }
}
