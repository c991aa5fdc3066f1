package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.http.security.ApiKeyRing;
import io.oxbow.runtime.kafka.TopicReadiness;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBackendExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestAppIT {
  private static final ApiKeyRing.Generated FULL = ApiKeyRing.generate("full", "*");
  private static final ApiKeyRing.Generated LOGS_ONLY = ApiKeyRing.generate("agent", "logs");

  private String bootstrap;
  private Map<String, String> settings;
  private IngestApp app;
  private IngestClient client;

  @BeforeAll
  void startApp(KafkaBackend kafka) throws Exception {
    bootstrap = kafka.bootstrapServers();
    String id = UUID.randomUUID().toString().substring(0, 8);
    settings = new HashMap<>();
    settings.put(IngestConfig.BOOTSTRAP_SERVERS.key(), bootstrap);
    settings.put(IngestConfig.PORT.key(), "0");
    settings.put(IngestConfig.HOST.key(), "127.0.0.1");
    settings.put(IngestConfig.LOGS_TOPIC.key(), "logs-" + id);
    settings.put(IngestConfig.ORDERS_TOPIC.key(), "orders-" + id);
    settings.put(IngestConfig.IDEMPOTENCY_TOPIC.key(), "idem-" + id);
    settings.put(IngestConfig.TRANSACTIONAL_ID_PREFIX.key(), "ingest-it-" + id);
    settings.put(IngestConfig.SCHEMA_REGISTRY_URL.key(), "mock://ingest-it-" + id);
    settings.put(IngestConfig.MAX_BODY_BYTES.key(), "256KiB");
    settings.put(IngestConfig.MAX_LINE_BYTES.key(), "1KiB");
    settings.put(
        IngestConfig.SECURITY.apiKeys().key(), FULL.configEntry() + "," + LOGS_ONLY.configEntry());
    app = start(settings);
    client = new IngestClient(app.baseUrl());
  }

  private static IngestApp start(Map<String, String> settings) throws InterruptedException {
    ConfigSource source = ConfigSource.ofFlags(settings);
    return IngestApp.builder(IngestConfig.from(source))
        .security(IngestConfig.SECURITY.read(source))
        .build()
        .start();
  }

  @AfterAll
  void stopApp() {
    app.close();
  }

  private String logsTopic() {
    return settings.get(IngestConfig.LOGS_TOPIC.key());
  }

  private String ordersTopic() {
    return settings.get(IngestConfig.ORDERS_TOPIC.key());
  }

  private static String bearer(ApiKeyRing.Generated key) {
    return "Bearer " + key.key();
  }

  private List<RawLogLine> linesOf(String source) {
    return TopicReader.readAll(bootstrap, logsTopic()).stream()
        .map(r -> decode(r.value(), RawLogLine.class))
        .filter(l -> l.getSource().equals(source))
        .toList();
  }

  private <T> T decode(byte[] bytes, Class<T> type) {
    try (AvroDeserializer deserializer = new AvroDeserializer()) {
      deserializer.configure(
          Map.of(
              AvroSerdeConfig.SCHEMA_REGISTRY_URL,
              settings.get(IngestConfig.SCHEMA_REGISTRY_URL.key()),
              AvroSerdeConfig.SPECIFIC_AVRO_READER,
              true),
          false);
      return type.cast(deserializer.deserialize("any", bytes));
    }
  }

  private static String text(RawLogLine line) {
    return StandardCharsets.UTF_8.decode(line.getLine().duplicate()).toString();
  }

  @Test
  void shouldWritePlainTextLinesKeyedBySourceOnlyAfterKafkaAcknowledged() {
    String source = "web-" + UUID.randomUUID();
    IngestClient.Reply reply =
        client.post(
            "/v1/logs",
            "text/plain; charset=utf-8",
            "first line\r\nsecond line\n\nthird line\n",
            "Authorization",
            bearer(FULL),
            "X-Oxbow-Source",
            source);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("accepted").asInt()).isEqualTo(3);
    List<RawLogLine> lines = linesOf(source);
    assertThat(lines)
        .extracting(IngestAppIT::text)
        .containsExactly("first line", "second line", "third line");
    assertThat(lines).extracting(RawLogLine::getSequence).containsExactly(0, 1, 2);
    assertThat(lines)
        .extracting(RawLogLine::getIngestId)
        .containsOnly(reply.header("X-Oxbow-Ingest-Id"));
    List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(bootstrap, logsTopic());
    assertThat(raw.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(source)))
        .hasSize(3);
  }

  @Test
  void shouldAcceptGzipNdjsonWithPerLineSources() {
    String a = "a-" + UUID.randomUUID();
    String b = "b-" + UUID.randomUUID();
    String body =
        "{\"line\":\"GET / 200\",\"source\":\""
            + a
            + "\"}\n"
            + "{\"line\":\"GET /x 404\",\"source\":\""
            + b
            + "\"}\n"
            + "{\"line\":\"GET /y 500\",\"source\":\""
            + a
            + "\"}\n";
    IngestClient.Reply reply =
        client.post(
            "/v1/logs",
            "application/x-ndjson",
            IngestClient.gzip(body),
            "Authorization",
            bearer(LOGS_ONLY),
            "Content-Encoding",
            "gzip");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("accepted").asInt()).isEqualTo(3);
    await()
        .untilAsserted(
            () -> {
              assertThat(linesOf(a))
                  .extracting(IngestAppIT::text)
                  .containsExactly("GET / 200", "GET /y 500");
              assertThat(linesOf(b)).extracting(IngestAppIT::text).containsExactly("GET /x 404");
            });
  }

  @Test
  void shouldWriteValidOrdersKeyedByClientIp() {
    String id = UUID.randomUUID().toString();
    String body =
        "[{\"order_id\":\""
            + id
            + "-1\",\"client_ip\":\"203.0.113.7\",\"customer_id\":\"c1\","
            + "\"amount\":12.5,\"currency\":\"EUR\",\"event_time\":\"2026-11-25T10:00:00Z\","
            + "\"items\":[{\"sku\":\"book\",\"quantity\":2,\"price\":\"6.25\"}]},"
            + "{\"order_id\":\""
            + id
            + "-2\",\"client_ip\":\"2001:db8::1\",\"customer_id\":\"c2\","
            + "\"amount\":\"99\",\"currency\":\"USD\",\"event_time\":\"2026-11-25T11:00:00+01:00\"}]";
    IngestClient.Reply reply =
        client.post("/v1/events/orders", "application/json", body, "Authorization", bearer(FULL));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("accepted").asInt()).isEqualTo(2);
    await().untilAsserted(() -> assertThat(ordersWithIdPrefix(id)).hasSize(2));
    List<ConsumerRecord<byte[], byte[]>> records = ordersWithIdPrefix(id);
    Order first =
        decode(
            records.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("203.0.113.7"))
                .findFirst()
                .orElseThrow()
                .value(),
            Order.class);
    assertThat(first.getAmount()).isEqualByComparingTo(new BigDecimal("12.5"));
    assertThat(first.getEventTime()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(first.getItems()).hasSize(1);
    assertThat(first.getItems().get(0).getPrice()).isEqualByComparingTo("6.25");
  }

  private List<ConsumerRecord<byte[], byte[]>> ordersWithIdPrefix(String id) {
    return TopicReader.readAll(bootstrap, ordersTopic()).stream()
        .filter(r -> decode(r.value(), Order.class).getOrderId().startsWith(id))
        .toList();
  }

  @Test
  void shouldRejectInvalidOrdersNamingEachFieldAndWriteNothing() {
    String id = UUID.randomUUID().toString();
    String body =
        "[{\"order_id\":\""
            + id
            + "-ok\",\"client_ip\":\"10.0.0.1\",\"customer_id\":\"c\","
            + "\"amount\":1,\"currency\":\"EUR\",\"event_time\":\"2026-11-25T10:00:00Z\"},"
            + "{\"order_id\":\""
            + id
            + "-bad\",\"client_ip\":\"not-an-ip\",\"customer_id\":\"c\","
            + "\"amount\":-3,\"currency\":\"EURO\",\"event_time\":\"yesterday\","
            + "\"items\":[{\"sku\":\"x\",\"quantity\":0,\"price\":1.23456}]}]";
    IngestClient.Reply reply =
        client.post("/v1/events/orders", "application/json", body, "Authorization", bearer(FULL));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error").asText()).contains("nothing was written");
    assertThat(reply.json().path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder(
            "client_ip", "amount", "currency", "event_time", "items[0].quantity", "items[0].price");
    assertThat(reply.json().path("errors").findValues("index"))
        .allSatisfy(index -> assertThat(index.asInt()).isEqualTo(1));
    assertThat(TopicReader.readAll(bootstrap, ordersTopic()))
        .noneMatch(r -> decode(r.value(), Order.class).getOrderId().startsWith(id));
  }

  @Test
  void shouldAnswerClearErrorsForBadRequests() {
    String auth = bearer(FULL);
    IngestClient.Reply notJson =
        client.post(
            "/v1/events/orders", "application/json", "{\"order_id\":", "Authorization", auth);
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().path("error").asText()).contains("not valid JSON");

    IngestClient.Reply wrongType =
        client.post("/v1/logs", "application/json", "{}", "Authorization", auth);
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.json().path("error").asText()).contains("text/plain");

    IngestClient.Reply noType = client.post("/v1/events/orders", null, "{}", "Authorization", auth);
    assertThat(noType.status()).isEqualTo(415);

    IngestClient.Reply badNdjson =
        client.post(
            "/v1/logs",
            "application/x-ndjson",
            "{\"line\":\"ok\"}\n{oops\n{\"src\":1}\n",
            "Authorization",
            auth);
    assertThat(badNdjson.status()).isEqualTo(400);
    assertThat(badNdjson.json().path("errors").findValuesAsText("index")).containsExactly("1", "2");

    IngestClient.Reply notFound = client.post("/v1/nothing", "text/plain", "x");
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.json().path("error").asText()).contains("/v1/nothing");

    IngestClient.Reply wrongMethod = client.get("/v1/logs");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().path("error").asText()).contains("GET");
  }

  @Test
  void shouldRejectBodiesAndLinesOverTheLimitsNamingTheLine() {
    String source = "limits-" + UUID.randomUUID();
    String longLine = "x".repeat(2000);
    IngestClient.Reply longOne =
        client.post(
            "/v1/logs",
            "text/plain",
            "ok\nok\n" + longLine + "\n",
            "Authorization",
            bearer(FULL),
            "X-Oxbow-Source",
            source);
    assertThat(longOne.status()).isEqualTo(413);
    assertThat(longOne.json().path("error").asText()).contains("line 3").contains("1024");

    String big = ("y".repeat(100) + "\n").repeat(3000);
    IngestClient.Reply tooBig =
        client.post(
            "/v1/logs", "text/plain", big, "Authorization", bearer(FULL), "X-Oxbow-Source", source);
    assertThat(tooBig.status()).isEqualTo(413);

    IngestClient.Reply gzipBomb =
        client.post(
            "/v1/logs",
            "text/plain",
            IngestClient.gzip(big),
            "Authorization",
            bearer(FULL),
            "X-Oxbow-Source",
            source,
            "Content-Encoding",
            "gzip");
    assertThat(gzipBomb.status()).isEqualTo(413);
    assertThat(linesOf(source)).isEmpty();
  }

  @Test
  void shouldAuthenticateWithHashedKeysAndCheckPermissions() {
    assertThat(client.post("/v1/logs", "text/plain", "x").status()).isEqualTo(401);
    assertThat(client.post("/v1/logs", "text/plain", "x", "Authorization", "Bearer wrong").status())
        .isEqualTo(401);
    IngestClient.Reply forbidden =
        client.post(
            "/v1/events/orders", "application/json", "{}", "Authorization", bearer(LOGS_ONLY));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().path("error").asText())
        .contains("\"orders\"")
        .doesNotContain("agent");
  }

  private Map<String, String> variant(String name, Map<String, String> extra) {
    Map<String, String> copy = new HashMap<>(settings);
    String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    copy.put(IngestConfig.LOGS_TOPIC.key(), id);
    copy.put(IngestConfig.IDEMPOTENCY_TOPIC.key(), id + "-idem");
    copy.put(IngestConfig.TRANSACTIONAL_ID_PREFIX.key(), id);
    copy.putAll(extra);
    return copy;
  }

  @Test
  void shouldRefuseCrossSiteTextPlainPostsEvenWithoutKeys() throws Exception {
    Map<String, String> anonymous = variant("anon", Map.of());
    anonymous.remove(IngestConfig.SECURITY.apiKeys().key());
    try (IngestApp open = start(anonymous)) {
      IngestClient client = new IngestClient(open.baseUrl());
      String source = "cross-site-" + UUID.randomUUID();
      // what a form or fetch() on another site makes a visitor's browser send
      IngestClient.Reply fromAttacker =
          client.post(
              "/v1/logs",
              "text/plain",
              "forged line\n",
              "X-Oxbow-Source",
              source,
              "Origin",
              "https://attacker.example",
              "Sec-Fetch-Site",
              "cross-site");
      assertThat(fromAttacker.status()).isEqualTo(403);
      assertThat(fromAttacker.json().path("error").asText()).contains("cross-site");
      IngestClient.Reply sameOrigin =
          client.post(
              "/v1/logs",
              "text/plain",
              "own page\n",
              "X-Oxbow-Source",
              source,
              "Origin",
              open.baseUrl());
      assertThat(sameOrigin.status()).isEqualTo(200);
      assertThat(
              TopicReader.readAll(bootstrap, anonymous.get(IngestConfig.LOGS_TOPIC.key())).stream()
                  .map(r -> text(decode(r.value(), RawLogLine.class)))
                  .toList())
          .containsExactly("own page");
    }
  }

  @Test
  void shouldLimitEachKeysRequestRate() throws Exception {
    Map<String, String> limited =
        variant("rate", Map.of("ingest.rate-limit", "0.2", "ingest.rate-burst", "2"));
    try (IngestApp strict = start(limited)) {
      IngestClient client = new IngestClient(strict.baseUrl());
      for (int i = 0; i < 2; i++) {
        assertThat(
                client
                    .post("/v1/logs", "text/plain", "ok\n", "Authorization", bearer(LOGS_ONLY))
                    .status())
            .isEqualTo(200);
      }
      IngestClient.Reply refused =
          client.post("/v1/logs", "text/plain", "too many\n", "Authorization", bearer(LOGS_ONLY));
      assertThat(refused.status()).isEqualTo(429);
      assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 5);
      assertThat(
              client
                  .post("/v1/logs", "text/plain", "other\n", "Authorization", bearer(FULL))
                  .status())
          .as("another key has its own bucket")
          .isEqualTo(200);
      assertThat(client.get("/metrics").raw().body())
          .contains("http_rate_limited_total{key=\"agent\"")
          .contains("reason=\"rate_limited\"");
    }
  }

  @Test
  void shouldNotWriteARetriedRequestTwiceEvenAcrossARestart() throws Exception {
    String source = "retry-" + UUID.randomUUID();
    String key = "batch-" + UUID.randomUUID();
    String[] headers = {
      "Authorization", bearer(FULL), "X-Oxbow-Source", source, "Idempotency-Key", key
    };
    IngestClient.Reply first = client.post("/v1/logs", "text/plain", "one\ntwo\n", headers);
    IngestClient.Reply retry = client.post("/v1/logs", "text/plain", "one\ntwo\n", headers);

    assertThat(first.status()).isEqualTo(200);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json().path("accepted").asInt()).isEqualTo(2);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    await().untilAsserted(() -> assertThat(linesOf(source)).hasSize(2));

    IngestClient.Reply misuse = client.post("/v1/logs", "text/plain", "three\n", headers);
    assertThat(misuse.status()).isEqualTo(422);

    Map<String, String> restarted = new HashMap<>(settings);
    try (IngestApp second = start(restarted)) {
      IngestClient.Reply afterRestart =
          new IngestClient(second.baseUrl()).post("/v1/logs", "text/plain", "one\ntwo\n", headers);
      assertThat(afterRestart.status()).isEqualTo(200);
      assertThat(afterRestart.header("Idempotent-Replayed")).isEqualTo("true");
    }
    assertThat(linesOf(source)).hasSize(2);
  }

  @Test
  void shouldLeaveNothingVisibleWhenKafkaRejectsPartOfARequest() throws Exception {
    String topic = "atomic-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 3, (short) 1).configs(Map.of("max.message.bytes", "2048"))))
          .all()
          .get();
      TopicReadiness.await(admin, List.of(topic), Duration.ofSeconds(30));
    }
    Map<String, String> atomic = new HashMap<>(settings);
    atomic.put(IngestConfig.LOGS_TOPIC.key(), topic);
    atomic.put(IngestConfig.TRANSACTIONAL_ID_PREFIX.key(), topic);
    atomic.put(IngestConfig.MAX_LINE_BYTES.key(), "64KiB");
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      body.append("{\"line\":\"small ")
          .append(i)
          .append("\",\"source\":\"s")
          .append(i)
          .append("\"}\n");
    }
    // incompressible, larger than the topic accepts: the broker rejects this one batch
    byte[] noise = new byte[6000];
    new java.util.Random(42).nextBytes(noise);
    body.append("{\"line\":\"").append(java.util.HexFormat.of().formatHex(noise)).append("\"}\n");
    try (IngestApp strict = start(atomic)) {
      IngestClient.Reply reply =
          new IngestClient(strict.baseUrl())
              .post(
                  "/v1/logs",
                  "application/x-ndjson",
                  body.toString(),
                  "Authorization",
                  bearer(FULL));
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.header("Retry-After")).isNotNull();
      IngestClient.Reply next =
          new IngestClient(strict.baseUrl())
              .post("/v1/logs", "text/plain", "later\n", "Authorization", bearer(FULL));
      assertThat(next.status()).isEqualTo(200);
    }
    // the later request's commit makes everything before it on the topic decided
    await()
        .untilAsserted(
            () ->
                assertThat(TopicReader.readAll(bootstrap, topic))
                    .extracting(r -> text(decode(r.value(), RawLogLine.class)))
                    .containsExactly("later"));
  }

  @Test
  void shouldServeHealthAndMetrics() {
    assertThat(client.get("/health/live").status()).isEqualTo(200);
    IngestClient.Reply ready = client.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().at("/checks/kafka/status").asText()).isEqualTo("UP");

    client.post("/v1/logs", "text/plain", "metric line\n", "Authorization", bearer(FULL));
    client.post("/v1/logs", "text/plain", "x");
    String metrics = client.get("/metrics").raw().body();
    assertThat(metrics)
        .contains("ingest_records_accepted_total{endpoint=\"logs\"")
        .contains("ingest_bytes_accepted_bytes_total")
        .contains("reason=\"unauthorized\"")
        .contains("ingest_request_latency_seconds{endpoint=\"logs\",outcome=\"accepted\"")
        .contains("jvm_memory_used_bytes");
  }
}
