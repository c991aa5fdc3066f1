package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.cli.OxbowProcess;
import io.oxbow.lake.LakeLocation;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LakeStorage.StoredObject;
import io.oxbow.lake.LakeStorages;
import io.oxbow.lake.PublishedViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.localkafka.S3rver;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.serving.ServeConfig;
import io.oxbow.serving.ServingApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full replay whose lake lives only in S3-compatible storage (s3rver): every service in one
 * process, the batch loader landing and compacting into {@code s3://replay/lake} and the serving
 * API reading it from there ({@code batch.lake-uri}, {@code serve.lake-uri}). Once the batch layer
 * has caught up, its answers are the same bytes as those of a serving API over a local copy of that
 * lake and the same topics; nothing of the lake is on local disk. Over the same replay, two {@code
 * oxbow serve} processes answer alike, and killing one leaves the other answering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3LakeReplayIT {
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", "../.."));
  // the replay moves the sample's times to end now; every query covers a few days around it
  private final Instant from = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
  private final Instant to = from.plus(Duration.ofDays(3));
  private static final List<String> QUERIES =
      List.of(
          "traffic/query?granularity=hour&groupBy=country",
          "traffic/query?granularity=minute&metrics=requests,visitors,bytes",
          "pages/query?granularity=day&groupBy=path&orderBy=-views&limit=50",
          "errors/query?granularity=hour&groupBy=status",
          "revenue/query?granularity=hour");
  // each with a batch and a speed part once the loader has published the replay's closed hours
  private static final List<String> TRAFFIC_QUERIES =
      List.of(
          "traffic/query?granularity=hour&groupBy=country",
          "traffic/query?granularity=minute&metrics=requests,visitors,bytes",
          "traffic/query?granularity=day&groupBy=status_class&metrics=requests,bytes");
  private static final Duration PROCESS_START = Duration.ofMinutes(2);

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private S3rver s3;
  private DemoStack stack;
  private LakeStorage lake;
  private Path data;

  @BeforeAll
  void replayIntoS3(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(S3rver.available(), "Node.js and npm are not installed: skipped");
    List<String> sample =
        Files.readAllLines(
                ROOT.resolve("samples/access-logs/elastic_apache_logs.log"), StandardCharsets.UTF_8)
            .subList(0, 2000);
    Path logs = Files.write(dir.resolve("sample.log"), sample, StandardCharsets.UTF_8);
    int offset = 10000 + ThreadLocalRandom.current().nextInt(0, 40) * 100;
    s3 = S3rver.start("replay");
    Map<String, String> settings = new HashMap<>();
    settings.put("batch.allowed-lateness", "1m");
    settings.put("batch.idle-timeout", "5s");
    settings.put("batch.compaction-interval", "2s");
    settings.put("stream.grace", "3h");
    for (String service : List.of("batch", "serve")) {
      settings.putAll(s3Settings(service));
    }
    data = dir.resolve("data");
    stack = DemoStack.start(data, offset, List.of(), settings);
    lake = LakeStorages.open(s3Lake(s3), "oxbow-test-copy");
    Replayer.of(
            List.of(logs),
            URI.create(stack.ingestUrl()),
            stack.apiKey(),
            dir.resolve("replay.json"),
            Clock.systemUTC())
        .run(0, false, 0.35, (sent, total, t) -> {});
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {lake, stack, s3}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @Test
  void aReplayWithItsLakeInS3AnswersAsOverTheLocalLake(@TempDir Path dir) throws Exception {
    Path copy = dir.resolve("local-lake");
    Map<String, String> local = new HashMap<>();
    local.put("serve.port", "0");
    local.put("serve.bootstrap-servers", stack.kafka());
    local.put("serve.schema-registry-url", stack.registryUrl());
    local.put("serve.lake-dir", copy.toString());
    try (ServingApp fromLocal = ServingApp.start(ServeConfig.from(ConfigSource.ofFlags(local)))) {
      // the loader closes the replay's hours one by one; compare once it is quiet
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(3))
          .until(() -> compacted(lake) && sameAnswers(copy, fromLocal));
    }
    assertThat(data.resolve("lake")).doesNotExist();
  }

  /**
   * Two {@code oxbow serve} processes (each its own JVM from the packaged launcher layout, its own
   * port, the stack's API key file) over the same S3 lake and speed topics answer byte-identical
   * JSON; after one is killed with SIGKILL the other keeps answering the same bytes and stays
   * ready.
   */
  @Test
  void twoServeProcessesAnswerAlikeAndOneKilledLeavesTheOtherAnswering() throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
    args.addAll(List.of("--bootstrap-servers", stack.kafka()));
    args.addAll(List.of("--schema-registry-url", stack.registryUrl()));
    args.addAll(List.of("--api-key-file", data.resolve("demo/api-key.entry").toString()));
    s3Settings("serve").forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
    String[] serve = args.toArray(new String[0]);
    List<String> jvm = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
    try (OxbowProcess first = OxbowProcess.start(jvm, Map.of(), serve);
        OxbowProcess second = OxbowProcess.start(jvm, Map.of(), serve)) {
      // "serving: http://127.0.0.1:port/"
      String one = first.awaitLine("serving: ", PROCESS_START).replaceAll("/$", "");
      String two = second.awaitLine("serving: ", PROCESS_START).replaceAll("/$", "");
      assertThat(one).isNotEqualTo(two);
      // the replay's lines are all acknowledged, but the stream processor and the loader are
      // still catching up: compare once the answers have stopped changing for several loader
      // cycles (compaction every 2 s, idle timeout 5 s), not at the first moment both agree
      AtomicReference<Map<String, String>> previous = new AtomicReference<>(Map.of());
      AtomicInteger unchanged = new AtomicInteger();
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                Map<String, String> now = bodies(one);
                unchanged.set(now.equals(previous.getAndSet(now)) ? unchanged.get() + 1 : 0);
                return unchanged.get() >= 5
                    && compacted(lake)
                    && batchAndSpeed(one)
                    && sameBodies(one, two);
              });
      Map<String, String> killed = bodies(one);

      // the process is the serving JVM itself, not a launcher script around it
      assertThat(first.handle().info().command())
          .hasValueSatisfying(c -> assertThat(c).endsWith("java"));
      first.kill();
      assertThat(first.awaitExit(Duration.ofSeconds(1))).as("exit code of SIGKILL").isEqualTo(137);

      // the replay is over: the one left answers what the killed one answered, at once
      assertThat(bodies(two)).isEqualTo(killed);
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> ready(two) == 200);
      assertThat(bodies(two)).isEqualTo(killed);
      assertThat(second.handle().isAlive()).isTrue();
    }
  }

  private Map<String, String> s3Settings(String service) {
    return Map.of(
        service + ".lake-uri", "s3://replay/lake",
        service + ".s3-endpoint", s3.endpoint(),
        service + ".s3-access-key", "S3RVER",
        service + ".s3-secret-key", "S3RVER");
  }

  private static LakeLocation s3Lake(S3rver server) {
    return LakeLocation.s3(
        URI.create("s3://replay/lake"), URI.create(server.endpoint()), "S3RVER", "S3RVER");
  }

  /** True once the loader has published a batch view of {@code traffic} with files. */
  private static boolean compacted(LakeStorage storage) {
    try {
      return new ViewManifestStore(storage)
          .readPublished("traffic")
          .flatMap(PublishedViewManifest::files)
          .filter(files -> !files.isEmpty())
          .isPresent();
    } catch (java.io.IOException e) {
      // s3rver, unlike S3, may show an object while it is being overwritten
      return false;
    }
  }

  /**
   * Copies the S3 lake to {@code copy} (as it is now), then compares every query's answer from the
   * stack (S3) and from {@code fromLocal} (the copy).
   */
  private boolean sameAnswers(Path copy, ServingApp fromLocal) throws Exception {
    for (StoredObject object : lake.listObjects("")) {
      Optional<byte[]> bytes = lake.read(object.key());
      if (bytes.isEmpty()) {
        // the compactor removed a listed object before it was read: copy again next round
        return false;
      }
      Path target = copy.resolve(object.key());
      Files.createDirectories(target.getParent());
      Files.write(target, bytes.get());
    }
    for (String query : QUERIES) {
      HttpResponse<String> fromS3 = get(stack.apiUrl(), query, stack.apiKey());
      assertThat(fromS3.statusCode()).as(query + ": " + fromS3.body()).isEqualTo(200);
      // the copy is taken object by object while the loader writes: a manifest copied after a
      // listing may name a file the copy lacks, and then the copy answers 503 until the next round
      HttpResponse<String> local = get(fromLocal.baseUrl(), query, null);
      if (local.statusCode() != 200 || !fromS3.body().equals(local.body())) {
        return false;
      }
    }
    return true;
  }

  /** True once every traffic query of {@code base} answers 200 with a batch and a speed part. */
  private boolean batchAndSpeed(String base) throws Exception {
    for (String query : TRAFFIC_QUERIES) {
      HttpResponse<String> answer = get(base, query, stack.apiKey());
      if (answer.statusCode() != 200) {
        return false;
      }
      JsonNode sources = json.readTree(answer.body()).path("sources");
      if (!sources.path("batch").isObject() || !sources.path("speed").isObject()) {
        return false;
      }
    }
    return true;
  }

  /** True when both instances answer every traffic query with the same bytes. */
  private boolean sameBodies(String one, String two) throws Exception {
    return bodies(one).equals(bodies(two));
  }

  /** Each traffic query's status and body from {@code base}. */
  private Map<String, String> bodies(String base) throws Exception {
    Map<String, String> bodies = new LinkedHashMap<>();
    for (String query : TRAFFIC_QUERIES) {
      HttpResponse<String> answer = get(base, query, stack.apiKey());
      bodies.put(query, answer.statusCode() + " " + answer.body());
    }
    return bodies;
  }

  private int ready(String base) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private HttpResponse<String> get(String base, String query, String apiKey) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(base + "/api/v1/views/" + query + "&from=" + from + "&to=" + to));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
