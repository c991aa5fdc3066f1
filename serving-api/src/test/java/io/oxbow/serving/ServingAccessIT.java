package io.oxbow.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.http.security.ApiKeyRing;
import io.oxbow.views.ViewCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the serving API, anonymously and with keys of each permission: the data needs
 * {@code read}, the dead letters {@code admin}; refusals are JSON 401/403 that never name the key.
 */
@ExtendWith(KafkaBackendExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingAccessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ApiKeyRing.Generated READER = ApiKeyRing.generate("reader-q1", "read");
  private static final ApiKeyRing.Generated OPS = ApiKeyRing.generate("ops-q1", "admin");
  private static final ApiKeyRing.Generated AGENT = ApiKeyRing.generate("agent-q1", "logs+orders");
  private static final String QUERY =
      "/api/v1/views/traffic/query?from=2026-11-25T10:00:00Z&to=2026-11-25T11:00:00Z";
  private static final List<String> READ_ROUTES =
      List.of("/api/v1/views", QUERY, "/api/v1/status", "/api/v1/nothing-here");
  private static final List<String> ADMIN_ROUTES =
      List.of("/api/v1/dlq", "/api/v1/dlq?limit=5", "/api/v1/dlq/", "/api/v1//dlq", "/API/v1/dlq");
  private static final List<String> OPEN_ROUTES =
      List.of(
          "/", "/dashboard.js", "/api/v1/openapi.json", "/api/v1/docs", "/health/live", "/metrics");

  @TempDir static Path temp;

  private final HttpClient http = HttpClient.newHttpClient();
  private ServingApp app;

  @BeforeAll
  void start(KafkaBackend kafka) throws Exception {
    Pipeline pipeline = new Pipeline(kafka.bootstrapServers(), temp.resolve("lake"));
    pipeline.createTopics(ViewCatalog.defaults().names());
    Path keys = temp.resolve("api-keys");
    Files.writeString(
        keys, String.join("\n", READER.configEntry(), OPS.configEntry(), AGENT.configEntry()));
    app =
        ServingApp.start(
            pipeline.config(),
            ViewCatalog.defaults(),
            ServeConfig.SECURITY.read(
                ConfigSource.ofFlags(Map.of("serve.api-key-file", keys.toString()))));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get("/health/ready", null).statusCode() == 200);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private HttpResponse<String> get(String path, ApiKeyRing.Generated key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key.key());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldRefuseAnonymousRequestsToEveryDataRouteWithJson401() throws Exception {
    for (String path : concat(READ_ROUTES, ADMIN_ROUTES)) {
      HttpResponse<String> answer = get(path, null);
      assertThat(answer.statusCode()).as(path).isEqualTo(401);
      JsonNode error = JSON.readTree(answer.body());
      assertThat(error.path("status").asInt()).as(path).isEqualTo(401);
      assertThat(error.path("error").asText()).as(path).contains("API key");
      assertThat(answer.body()).as(path).doesNotContain("\"records\"").doesNotContain("rows");
    }
  }

  @Test
  void shouldRefuseKeysWithoutThePermissionWith403ThatNeverNamesTheKey() throws Exception {
    for (String path : concat(READ_ROUTES, ADMIN_ROUTES)) {
      HttpResponse<String> answer = get(path, AGENT);
      assertThat(answer.statusCode()).as(path).isEqualTo(403);
      assertThat(answer.body()).as(path).doesNotContain("agent-q1");
    }
    for (String path : ADMIN_ROUTES) {
      HttpResponse<String> answer = get(path, READER);
      assertThat(answer.statusCode()).as(path).isEqualTo(403);
      assertThat(JSON.readTree(answer.body()).path("error").asText())
          .as(path)
          .contains("\"admin\"")
          .doesNotContain("reader-q1");
    }
  }

  @Test
  void shouldServeReadersTheDataAndAdminsTheDeadLetters() throws Exception {
    for (String path : List.of("/api/v1/views", QUERY, "/api/v1/status")) {
      assertThat(get(path, READER).statusCode()).as(path).isEqualTo(200);
      assertThat(get(path, OPS).statusCode()).as("admin implies read: " + path).isEqualTo(200);
    }
    assertThat(get("/api/v1/nothing-here", READER).statusCode()).isEqualTo(404);
    HttpResponse<String> dlq = get("/api/v1/dlq", OPS);
    assertThat(dlq.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(dlq.body()).has("records")).isTrue();
  }

  @Test
  void shouldLeaveTheDashboardFilesHealthAndMetricsOpen() throws Exception {
    for (String path : OPEN_ROUTES) {
      assertThat(get(path, null).statusCode()).as(path).isEqualTo(200);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
