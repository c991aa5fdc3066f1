package io.oxbow.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile input against a running registry over HTTP: every bad request gets a 4xx in Confluent's
 * error format ({@code {"error_code": N, "message": "..."}}) within a second, never a 5xx, and the
 * registry still serves afterwards.
 */
@ExtendWith(KafkaBackendExtension.class)
class RegistryLimitsIT {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String V1 = SchemaRegistryRestIT.V1;

  private static SchemaRegistryServer server;
  private static String subject;

  /** One hostile request. */
  private record Probe(String method, String path, byte[] body) {
    static Probe get(String path) {
      return new Probe("GET", path, null);
    }

    static Probe post(String path, String body) {
      return new Probe("POST", path, body.getBytes(StandardCharsets.UTF_8));
    }

    static Probe put(String path, String body) {
      return new Probe("PUT", path, body.getBytes(StandardCharsets.UTF_8));
    }

    static Probe delete(String path) {
      return new Probe("DELETE", path, null);
    }

    @Override
    public String toString() {
      String shown = path.length() > 80 ? path.substring(0, 80) + "..." : path;
      return method + " " + shown + (body == null ? "" : " (" + body.length + " bytes)");
    }
  }

  private record Answer(int status, String body, long millis) {
    String shortBody() {
      return body.length() > 120 ? body.substring(0, 120) + "..." : body;
    }
  }

  @BeforeAll
  static void start(KafkaBackend kafka) {
    server =
        SchemaRegistryServer.builder(kafka.bootstrapServers())
            .topic("_schemas-limits-" + UUID.randomUUID())
            .port(0)
            .start();
    subject = "limits-" + UUID.randomUUID();
    assertThat(send(Probe.post("/subjects/" + subject + "/versions", Http.schemaBody(V1))).status())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Answer send(Probe probe) {
    HttpRequest.BodyPublisher body =
        probe.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(probe.body());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + probe.path()))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .method(probe.method(), body)
            .build();
    long start = System.nanoTime();
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), (System.nanoTime() - start) / 1_000_000);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(probe.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String nested(String open, String close, int depth, String core) {
    return open.repeat(depth) + core + close.repeat(depth);
  }

  private static List<Probe> corpus() {
    String s = "/subjects/" + subject;
    List<Probe> probes = new ArrayList<>();
    for (String v :
        List.of(
            "0",
            "-2",
            "-2147483648",
            "2147483648",
            "99999999999999999999",
            "abc",
            "1.5",
            "1e3",
            "%20",
            "%00",
            "%FF",
            "LATEST",
            "1" + "0".repeat(5000))) {
      probes.add(Probe.get(s + "/versions/" + v));
      probes.add(Probe.get(s + "/versions/" + v + "/schema"));
      probes.add(Probe.get(s + "/versions/" + v + "/referencedby"));
      probes.add(Probe.delete(s + "/versions/" + v));
      probes.add(Probe.post("/compatibility" + s + "/versions/" + v, Http.schemaBody(V1)));
    }
    for (String id : List.of("-1", "0", "99999999999", "abc", "%00", "1e3", "9".repeat(5000))) {
      probes.add(Probe.get("/schemas/ids/" + id));
      probes.add(Probe.get("/schemas/ids/" + id + "/schema"));
      probes.add(Probe.get("/schemas/ids/" + id + "/versions"));
      probes.add(Probe.get("/schemas/ids/" + id + "/subjects"));
    }
    for (String bad :
        List.of("x".repeat(256), "x".repeat(5000), "%00", "a%0Ab", "%C3%28", "__GLOBAL")) {
      probes.add(Probe.post("/subjects/" + bad + "/versions", Http.schemaBody(V1)));
      probes.add(Probe.put("/config/" + bad, "{\"compatibility\":\"FULL\"}"));
    }
    for (String longOne : List.of("x".repeat(256), "x".repeat(5000))) {
      probes.add(Probe.get("/subjects/" + longOne + "/versions"));
      probes.add(Probe.post("/subjects/" + longOne, Http.schemaBody(V1)));
      probes.add(Probe.delete("/subjects/" + longOne));
      probes.add(Probe.get("/config/" + longOne));
      probes.add(Probe.get("/mode/" + longOne));
      probes.add(Probe.get("/subjects?subjectPrefix=" + longOne));
      probes.add(Probe.get("/schemas?subjectPrefix=" + longOne));
    }
    String registerPath = s + "/versions";
    for (String body :
        List.of(
            "",
            "null",
            "[]",
            "42",
            "{\"schema\":123}",
            "{\"schema\":{}}",
            "{\"schema\":\"{\\\"type\\\":\\\"record\\\"}\"}",
            "{\"schema\":\"\\\"int\\\"\",\"schemaType\":123}",
            "{\"schema\":\"\\\"int\\\"\",\"schemaType\":\"PROTOBUF\"}",
            "{\"schema\":\"\\\"int\\\"\",\"references\":[{\"name\":\"x\"}]}",
            nested("[", "]", 100_000, ""),
            nested("{\"a\":", "}", 100_000, "1"),
            "{\"schema\":\"" + nested("[", "]", 100_000, "") + "\"}",
            Http.schemaBody(nested("{\"type\":\"array\",\"items\":", "}", 2000, "\"int\"")),
            Http.schemaBody(
                "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"" + "A".repeat(2 << 20) + "\"]}"),
            "{\"schema\":\"" + "\\u0000".repeat(10) + "\"}")) {
      probes.add(Probe.post(registerPath, body));
      probes.add(Probe.post(s, body));
      probes.add(Probe.post("/compatibility" + s + "/versions", body));
    }
    for (String body : List.of("", "null", "[]", "42", nested("[", "]", 100_000, ""))) {
      probes.add(Probe.put("/config", body));
    }
    probes.add(new Probe("POST", registerPath, new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', '}'}));
    probes.add(Probe.put("/config", "{\"compatibility\":\"WHATEVER\"}"));
    probes.add(Probe.put("/config", "{\"compatibility\":123}"));
    probes.add(Probe.put("/config/" + subject, "{\"compatibility\":[]}"));
    return probes;
  }

  @Test
  void shouldAnswerEveryHostileRequestWithAConfluentStyle4xxWithinOneSecond() {
    SoftAssertions softly = new SoftAssertions();
    for (Probe probe : corpus()) {
      Answer answer = send(probe);
      softly
          .assertThat(answer.status())
          .as("status of %s: %s", probe, answer.shortBody())
          .isBetween(400, 499);
      softly.assertThat(answer.millis()).as("time of %s", probe).isLessThan(1000);
      JsonNode json = parse(answer.body());
      softly
          .assertThat(json.path("error_code").isInt())
          .as("error_code of %s: %s", probe, answer.shortBody())
          .isTrue();
      softly.assertThat(json.path("message").isTextual()).as("message of %s", probe).isTrue();
    }
    softly.assertAll();
    assertThat(send(Probe.get("/subjects/" + subject + "/versions/1")).status()).isEqualTo(200);
    assertThat(send(Probe.get("/health/ready")).status()).isEqualTo(200);
  }

  @Test
  void shouldBoundSubjectsSchemasVersionsAndPrefixes() {
    String at = "s".repeat(254) + "1";
    assertThat(send(Probe.post("/subjects/" + at + "/versions", Http.schemaBody(V1))).status())
        .isEqualTo(200);
    assertError(
        send(Probe.post("/subjects/" + at + "2/versions", Http.schemaBody(V1))), 422, 42208);
    assertError(send(Probe.put("/config/" + at + "2", "{\"compatibility\":\"FULL\"}")), 422, 42208);
    assertError(send(Probe.get("/subjects?subjectPrefix=" + at + "2")), 422, 42208);
    assertThat(send(Probe.get("/subjects?subjectPrefix=" + at)).body()).contains(at);

    String big =
        "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"" + "A".repeat(1024 * 1024) + "\"]}";
    Answer tooBig = send(Probe.post("/subjects/" + subject + "/versions", Http.schemaBody(big)));
    assertError(tooBig, 422, 42201);
    assertThat(tooBig.body()).contains("registry.max-schema-bytes").hasSizeLessThan(2000);

    for (String v : List.of("-2", "0", "2147483648", "abc", "1" + "0".repeat(5000))) {
      Answer answer = send(Probe.get("/subjects/" + subject + "/versions/" + v));
      assertError(answer, 422, 42202);
      assertThat(answer.body()).hasSizeLessThan(2000);
    }
  }

  @Test
  void shouldAnswerADeepButValidSchemaWithinOneSecond() {
    String deep = nested("{\"type\":\"array\",\"items\":", "}", 300, "\"int\"");
    Answer answer =
        send(Probe.post("/compatibility/subjects/" + subject + "/versions", Http.schemaBody(deep)));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.millis()).isLessThan(1000);
  }

  private static void assertError(Answer answer, int status, int code) {
    assertThat(answer.status()).as(answer.shortBody()).isEqualTo(status);
    assertThat(parse(answer.body()).path("error_code").asInt()).isEqualTo(code);
  }

  private static JsonNode parse(String body) {
    try {
      return Http.JSON.readTree(body);
    } catch (IOException e) {
      return Http.JSON.missingNode();
    }
  }
}
