package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.cli.HostileCorpus.Case;
import io.oxbow.cli.HostileCorpus.Expect;
import io.oxbow.cli.HostileCorpus.Service;
import io.oxbow.cli.RawHttp.Answer;
import io.oxbow.runtime.http.security.ApiKeyRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No input takes a service down. The broker, the schema registry, the ingest app (with API keys)
 * and the serving API run as separate processes, the services with a 256 MiB heap; a seeded corpus
 * of hostile requests ({@link HostileCorpus}, seed {@code -Dhostile.seed}, default fixed) is sent
 * to every HTTP endpoint. Every answer must be a 4xx with a JSON error (or, for valid input and
 * values at a limit, any answer but a 5xx), within 1 s and at most 64 KiB; afterwards every service
 * is alive with its heap under the cap, normal requests succeed, and every line acknowledged during
 * the run is in Kafka. Cases that fail are listed in {@code target/hostile-input-failures.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {
  private static final Logger log = LoggerFactory.getLogger(HostileInputIT.class);
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);
  private static final long HEAP_CAP = 256L << 20;
  private static final int MAX_ERROR_BYTES = 64 * 1024;
  private static final List<String> SMALL_HEAP = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

  private final ObjectMapper json = new ObjectMapper();
  private final List<OxbowProcess> processes = new ArrayList<>();
  private final Map<Service, OxbowProcess> byService = new EnumMap<>(Service.class);
  private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
  private final String source = "hostile-" + UUID.randomUUID();
  private String kafka;
  private String auth;
  private long acknowledgedLines;

  @BeforeAll
  void startServices(@TempDir Path dir) throws Exception {
    OxbowProcess broker =
        start(
            null,
            List.of(),
            "broker",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("kafka").toString());
    kafka = broker.awaitLine("kafka: ", START);
    OxbowProcess registry =
        start(
            Service.REGISTRY, SMALL_HEAP, "registry", "--bootstrap-servers", kafka, "--port", "0");
    String registryUrl = registry.awaitLine("registry: ", START);
    ApiKeyRing.Generated key = ApiKeyRing.generate("hostile", "logs+orders");
    auth = "Bearer " + key.key();
    Path keyFile = dir.resolve("api-keys");
    Files.writeString(keyFile, key.configEntry() + "\n");
    OxbowProcess ingest =
        start(
            Service.INGEST,
            SMALL_HEAP,
            "ingest",
            "--bootstrap-servers",
            kafka,
            "--schema-registry-url",
            registryUrl,
            "--port",
            "0",
            "--api-key-file",
            keyFile.toString());
    OxbowProcess serve =
        start(
            Service.SERVING,
            SMALL_HEAP,
            "serve",
            "--bootstrap-servers",
            kafka,
            "--schema-registry-url",
            registryUrl,
            "--port",
            "0",
            "--lake-dir",
            dir.resolve("lake").toString());
    ports.put(Service.REGISTRY, port(registryUrl));
    ports.put(Service.INGEST, port(ingest.awaitLine("ingest: ", START)));
    ports.put(Service.SERVING, port(serve.awaitLine("serving: ", START)));
    await().atMost(START).until(() -> get("/health/ready").status() == 200);
    acknowledgedLines += postLines(200);
  }

  @AfterAll
  void stopServices() {
    processes.forEach(OxbowProcess::close);
  }

  @Test
  @Order(1)
  void theIssuesReproductionsAreFast400s() throws Exception {
    String query =
        "/api/v1/views/traffic/query?from=-200000000-01-01T00:00:00Z&to=%2BYEAR-01-01T00:00:00Z"
            + "&granularity=hour";
    List<String> failures = new ArrayList<>();
    for (String year : List.of("200000000", "300000000")) {
      check(
          failures,
          Service.SERVING,
          "query to year +" + year,
          tryExchange(Service.SERVING, request("GET", query.replace("YEAR", year))));
    }
    check(
        failures,
        Service.INGEST,
        "client_ip of 40000 colons",
        order(Map.of("client_ip", HostileCorpus.json(":".repeat(40_000) + "x"))));
    for (String amount : List.of("1e8000000", "1e999999999")) {
      check(
          failures,
          Service.INGEST,
          "amount " + amount,
          order(Map.of("amount", HostileCorpus.json(amount))));
    }
    failures.addAll(healthProblems());
    assertThat(failures).isEmpty();
  }

  @Test
  @Order(2)
  void everyGeneratedHostileRequestGetsAFastJsonError() throws Exception {
    long seed = Long.getLong("hostile.seed", 20261125L);
    List<Case> corpus = HostileCorpus.generate(seed, auth, 60);
    log.info("hostile corpus: {} cases, seed {}", corpus.size(), seed);
    Path report = Path.of("target", "hostile-input-failures.txt");
    Files.deleteIfExists(report);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      Case c = corpus.get(i);
      Answer answer;
      try {
        answer = RawHttp.exchange(ports.get(c.service()), c.bytes(), Duration.ofSeconds(10));
      } catch (IOException e) {
        failures.add(c.service() + " " + c.name() + ": no answer (" + e.getMessage() + ")");
        continue;
      }
      String problem = problem(answer, c.expect());
      if (problem != null) {
        failures.add(c.service() + " " + c.name() + ": " + problem);
      }
      if (i % 25 == 0) {
        acknowledgedLines += postLines(5); // normal traffic in between
      }
    }
    int failedCases = failures.size();
    failures.addAll(healthProblems());
    acknowledgedLines += postLines(10);
    if (get(validQuery()).status() != 200 || get("/subjects").status() != 200) {
      failures.add("a normal query or registry request failed after the corpus");
    }
    long inKafka = linesInKafka();
    if (inKafka != acknowledgedLines) {
      failures.add(acknowledgedLines + " lines acknowledged, " + inKafka + " in Kafka");
    }
    Files.createDirectories(report.getParent());
    Files.write(report, failures, StandardCharsets.UTF_8);
    log.info("hostile corpus: {} of {} cases failed (see {})", failedCases, corpus.size(), report);
    assertThat(failures).isEmpty();
  }

  @Test
  @Order(3)
  void slowUploadsAreCutOffAndDoNotStarveOthers() throws Exception {
    byte[] body = new byte[1 << 20];
    java.util.Arrays.fill(body, (byte) 'x');
    List<CompletableFuture<Answer>> slow = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Service service = i % 2 == 0 ? Service.INGEST : Service.REGISTRY;
      boolean ingest = service == Service.INGEST;
      byte[] request =
          RawHttp.request(
              "POST",
              (ingest ? "/v1/logs" : "/subjects/slow/versions").getBytes(StandardCharsets.US_ASCII),
              Map.of(
                  "Content-Type",
                  ingest ? "text/plain" : "application/json",
                  "Authorization",
                  auth),
              body);
      int head = request.length - body.length;
      // 512 bytes every 100 ms: 5 KiB/s, well below the minimum upload rate
      slow.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return RawHttp.exchange(
                      ports.get(service),
                      request,
                      head,
                      Duration.ofMillis(100),
                      Duration.ofSeconds(30));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }));
    }
    // meanwhile the services answer others at once
    Answer ready = get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.took()).isLessThan(ANSWER_WITHIN);
    assertThat(postLines(5)).isEqualTo(5);
    acknowledgedLines += 5;

    for (CompletableFuture<Answer> f : slow) {
      Answer a = f.get();
      assertThat(a.status()).as(a.text()).isEqualTo(408);
      assertThat(json.readTree(a.body()).path("status").asInt()).isEqualTo(408);
      assertThat(a.took()).isLessThan(Duration.ofSeconds(5));
    }
    // an unauthenticated upload is refused without reading it
    Answer refused =
        RawHttp.exchange(
            ports.get(Service.INGEST),
            RawHttp.request(
                "POST",
                "/v1/logs".getBytes(StandardCharsets.US_ASCII),
                Map.of("Content-Type", "text/plain"),
                body),
            100,
            Duration.ofMillis(100),
            Duration.ofSeconds(10));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.took()).isLessThan(ANSWER_WITHIN);
    assertThat(healthProblems()).isEmpty();
  }

  @Test
  @Order(4)
  void longRangesAnswerByTheirBucketsAndGiveUpAtTheQueryTimeout() throws Exception {
    String q = "/api/v1/views/traffic/query?";
    Duration wait = Duration.ofSeconds(30);
    Answer yearByDay =
        RawHttp.exchange(
            ports.get(Service.SERVING),
            request(
                "GET",
                q
                    + "from=2021-01-01T00:00:00Z&to=2022-01-01T00:00:00Z&granularity=day"
                    + "&metrics=requests"),
            wait);
    assertThat(yearByDay.status()).as(yearByDay.text()).isEqualTo(200);
    Answer yearByMinute =
        RawHttp.exchange(
            ports.get(Service.SERVING),
            request("GET", q + "from=2021-01-01T00:00:00Z&to=2022-01-01T00:00:00Z"),
            wait);
    assertThat(yearByMinute.status()).isEqualTo(400);
    assertThat(yearByMinute.text()).contains("use granularity=hour or coarser");
    // one bucket over every accepted instant: about 2.9 million days to read, bounded by the
    // default query timeout of 10 s, answered either way as JSON, on a 256 MB heap
    Answer everything =
        RawHttp.exchange(
            ports.get(Service.SERVING),
            request(
                "GET",
                q
                    + "from=1970-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z&granularity=all"
                    + "&metrics=requests"),
            wait);
    log.info(
        "a query over every instant: {} in {} ms",
        everything.status(),
        everything.took().toMillis());
    assertThat(everything.status()).as(everything.text()).isIn(200, 503);
    if (everything.status() == 503) {
      assertThat(everything.text()).contains("query: not answered within 10000 ms");
    }
    assertThat(everything.took()).isLessThan(Duration.ofSeconds(20));
    assertThat(get(validQuery()).status()).isEqualTo(200);
    assertThat(healthProblems()).isEmpty();
  }

  // ---- checks

  private void check(List<String> failures, Service service, String name, Answer answer) {
    if (answer == null) {
      failures.add(service + " " + name + ": no answer within 10 s");
      return;
    }
    String problem = problem(answer, Expect.REJECT);
    log.info("{} {}: {} in {} ms", service, name, answer.status(), answer.took().toMillis());
    if (problem != null) {
      failures.add(service + " " + name + ": " + problem);
    }
  }

  /** The answer to {@code request}, or null when none came within 10 s. */
  private Answer tryExchange(Service service, byte[] request) {
    try {
      return RawHttp.exchange(ports.get(service), request, Duration.ofSeconds(10));
    } catch (IOException e) {
      return null;
    }
  }

  /** What is wrong with {@code answer} for a case expecting {@code expect}, or null. */
  private String problem(Answer answer, Expect expect) {
    int status = answer.status();
    String text = abbreviate(answer.text());
    if (status >= 500) {
      return "answered " + status + " " + text;
    }
    if (expect == Expect.REJECT && (status < 400 || status > 499)) {
      return "accepted with " + status + " " + text;
    }
    if (answer.took().compareTo(ANSWER_WITHIN) > 0) {
      return "answered " + status + " after " + answer.took().toMillis() + " ms";
    }
    if (status >= 400) {
      if (answer.body().length > MAX_ERROR_BYTES) {
        return "error answer of " + answer.body().length + " bytes";
      }
      String type = answer.header("Content-Type");
      if (type == null || !type.contains("json")) {
        return "error " + status + " as " + type + ": " + text;
      }
      try {
        JsonNode body = json.readTree(answer.body());
        if (!body.hasNonNull("error") && !body.hasNonNull("message")) {
          return "error " + status + " without a message: " + text;
        }
      } catch (IOException e) {
        return "error " + status + " is not JSON: " + text;
      }
    }
    return null;
  }

  /**
   * What is wrong with the services now: a process gone, an OutOfMemoryError logged, not live, a
   * heap at or over the cap, the ingest app or registry not ready.
   */
  private List<String> healthProblems() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Service service : Service.values()) {
      OxbowProcess process = byService.get(service);
      if (!process.isAlive()) {
        problems.add(service + " exited");
        continue;
      }
      String logged = String.join("\n", process.stderr()) + String.join("\n", process.stdout());
      if (logged.contains("OutOfMemoryError")) {
        problems.add(service + " logged an OutOfMemoryError");
      }
      Duration wait = Duration.ofSeconds(10);
      int live =
          RawHttp.exchange(ports.get(service), request("GET", "/health/live"), wait).status();
      if (live != 200) {
        problems.add(service + " /health/live answered " + live);
      }
      long heap =
          heapUsed(RawHttp.exchange(ports.get(service), request("GET", "/metrics"), wait).text());
      log.info("{}: heap used {} MiB", service, heap >> 20);
      if (heap <= 0 || heap >= HEAP_CAP) {
        problems.add(service + " heap used " + heap + " bytes");
      }
      if (service != Service.SERVING) { // its readiness needs the stream processor's topics
        int ready =
            RawHttp.exchange(ports.get(service), request("GET", "/health/ready"), wait).status();
        if (ready != 200) {
          problems.add(service + " /health/ready answered " + ready);
        }
      }
    }
    return problems;
  }

  private static long heapUsed(String metrics) {
    Matcher m =
        Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+]+)$")
            .matcher(metrics);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return (long) sum;
  }

  // ---- normal traffic

  private long postLines(int n) throws IOException {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < n; i++) {
      body.append("127.0.0.1 - - [25/Nov/2026:10:00:00 +0000] \"GET /ok HTTP/1.1\" 200 1\n");
    }
    Answer a =
        RawHttp.exchange(
            ports.get(Service.INGEST),
            RawHttp.request(
                "POST",
                "/v1/logs".getBytes(StandardCharsets.US_ASCII),
                Map.of(
                    "Content-Type", "text/plain", "X-Oxbow-Source", source, "Authorization", auth),
                body.toString().getBytes(StandardCharsets.UTF_8)),
            Duration.ofSeconds(30));
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return json.readTree(a.body()).path("accepted").asLong();
  }

  /** Lines of this run's source in {@code access-logs.raw} (read_committed), to the end offsets. */
  private long linesInKafka() {
    byte[] key = source.getBytes(StandardCharsets.UTF_8);
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      Duration wait = Duration.ofSeconds(60);
      List<TopicPartition> partitions =
          consumer.partitionsFor("access-logs.raw", wait).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, wait);
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(tp -> consumer.position(tp, wait) < ends.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          count += java.util.Arrays.equals(r.key(), key) ? 1 : 0;
        }
      }
    }
    return count;
  }

  private Answer order(Map<String, String> override) {
    return tryExchange(
        Service.INGEST,
        RawHttp.request(
            "POST",
            "/v1/events/orders".getBytes(StandardCharsets.US_ASCII),
            Map.of("Content-Type", "application/json", "Authorization", auth),
            HostileCorpus.utf8(HostileCorpus.order(override))));
  }

  private static String validQuery() {
    return "/api/v1/views/traffic/query?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z"
        + "&granularity=hour";
  }

  /** GET {@code path} on the service the path belongs to. */
  private Answer get(String path) throws IOException {
    Service service =
        path.startsWith("/api/")
            ? Service.SERVING
            : path.startsWith("/subjects") ? Service.REGISTRY : Service.INGEST;
    return RawHttp.exchange(ports.get(service), request("GET", path), Duration.ofSeconds(30));
  }

  private static byte[] request(String method, String path) {
    return RawHttp.request(method, path.getBytes(StandardCharsets.US_ASCII), Map.of(), null);
  }

  private OxbowProcess start(Service service, List<String> jvm, String... args) throws IOException {
    // slow uploads are part of the corpus: the services run with a minimum upload rate (off by
    // default, see HttpLimits)
    OxbowProcess p =
        OxbowProcess.start(jvm, Map.of("OXBOW_HTTP_MIN_REQUEST_DATA_RATE", "16KiB"), args);
    processes.add(p);
    if (service != null) {
      byService.put(service, p);
    }
    return p;
  }

  private static int port(String url) {
    Matcher m = Pattern.compile(":(\\d+)/?$").matcher(url.trim());
    if (!m.find()) {
      throw new IllegalArgumentException("no port in " + url);
    }
    return Integer.parseInt(m.group(1));
  }

  private static String abbreviate(String s) {
    String flat = s.replaceAll("\\s+", " ");
    return flat.length() > 160 ? flat.substring(0, 160) + "..." : flat;
  }
}
