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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServiceIT {
  private final HttpClient client = HttpClient.newHttpClient();
  private final ObjectMapper mapper = new ObjectMapper();
  private final AtomicBoolean dependencyUp = new AtomicBoolean(true);
  private HttpService http;

  @BeforeEach
  void start() {
    http =
        HttpService.builder("test")
            .host("127.0.0.1")
            .port(0)
            .readiness(
                "dependency",
                timeout -> {
                  if (!dependencyUp.get()) {
                    throw new IllegalStateException("dependency unreachable");
                  }
                })
            .stopTimeout(Duration.ofSeconds(2))
            .routes(
                r -> {
                  r.post("/v1/things", ctx -> ctx.json(Map.of("accepted", 1)));
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
  void shouldAnswerAnErrorToAClientStillSendingALargeBodyAndKeepTheConnection() throws Exception {
    int length = 16 * 1024 * 1024; // more than both ends' socket buffers hold
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                try {
                  out.write(
                      ("POST /v1/locked HTTP/1.1\r\nHost: oxbow\r\nContent-Type: text/plain\r\n"
                              + "Content-Length: "
                              + length
                              + "\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  byte[] chunk = new byte[64 * 1024];
                  for (int sent = 0; sent < length; sent += chunk.length) {
                    out.write(chunk);
                  }
                  out.write(
                      "GET /health/live HTTP/1.1\r\nHost: oxbow\r\n\r\n"
                          .getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      String answers = readUntil(socket.getInputStream(), "\"UP\"");

      assertThat(sending).succeedsWithin(Duration.ofSeconds(30));
      assertThat(answers).startsWith("HTTP/1.1 401").contains("\"error\":\"no API key\"");
      assertThat(answers.indexOf("HTTP/1.1 200")).isGreaterThan(answers.indexOf("no API key"));
    }
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
