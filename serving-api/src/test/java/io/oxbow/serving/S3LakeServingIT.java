package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeLocation;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LakeStorages;
import io.oxbow.localkafka.S3rver;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.http.security.HttpSecurityConfig;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving API over a lake kept only in S3-compatible storage (s3rver): the same replay (one set
 * of speed topics, its batch view published to a local lake and to S3) answers the same bytes from
 * both, from two instances at once, and from the one left when the other stops; a view replaced
 * between a query's manifest read and its file read is read again, not failed.
 */
@ExtendWith(KafkaBackendExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3LakeServingIT {
  private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
  private static final Instant WATERMARK = T0.plusSeconds(2 * 3_600);
  private static final Instant END = T0.plusSeconds(3 * 3_600);
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final List<String> QUERIES =
      List.of(
          "traffic/query?from=" + T0 + "&to=" + END + "&granularity=hour&groupBy=country",
          "traffic/query?from="
              + T0.plusSeconds(3_000)
              + "&to="
              + WATERMARK.plusSeconds(1_800)
              + "&metrics=requests,visitors,bytes_quantiles",
          "traffic/query?from=" + T0 + "&to=" + END + "&granularity=all&groupBy=status_class",
          "pages/query?from=" + T0 + "&to=" + END + "&groupBy=path&orderBy=-views",
          "errors/query?from=" + T0 + "&to=" + END + "&granularity=5m&groupBy=status");

  @TempDir static Path local;

  private S3rver s3rver;
  private Pipeline localLake;
  private Pipeline s3Lake;
  private ServingApp fromLocal;
  private ServingApp fromS3;

  @BeforeAll
  void replay(KafkaBackend kafka) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        S3rver.available(), "Node.js and npm are not installed: S3 test skipped");
    s3rver = S3rver.start("serving");
    localLake = new Pipeline(kafka.bootstrapServers(), local);
    s3Lake = localLake.withLake(s3Location("replay"));
    localLake.createTopics(CATALOG.names());
    List<AccessLogEvent> events = new ArrayList<>();
    List<String> countries = List.of("DE", "US", "FR");
    for (int i = 0; i < 540; i++) {
      int status = i % 11 == 0 ? 503 : i % 7 == 0 ? 404 : 200;
      events.add(
          hit(
              T0.plusSeconds(i * 20L),
              "c" + (i % 37),
              countries.get(i % 3),
              status,
              "/p" + (i % 5)));
    }
    List<AccessLogEvent> batch =
        events.stream().filter(e -> e.getEventTime().isBefore(WATERMARK)).toList();
    for (String name : List.of("traffic", "pages", "errors")) {
      ViewFolder view = CATALOG.folder(name);
      localLake.publishSpeed(view, view.fold(events));
      localLake.publishBatch(view, view.fold(batch), WATERMARK);
      s3Lake.publishBatch(view, view.fold(batch), WATERMARK);
    }
    fromLocal = ready(ServingApp.start(config(Map.of("serve.lake-dir", local.toString()))));
    fromS3 = ready(ServingApp.start(config(s3Flags("replay"))));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable open : new AutoCloseable[] {fromLocal, fromS3, s3Lake, s3rver}) {
      if (open != null) {
        open.close();
      }
    }
  }

  @Test
  void shouldAnswerFromAnS3LakeExactlyAsFromTheLocalOne() throws Exception {
    for (String query : QUERIES) {
      String expected = body(fromLocal, query);

      assertThat(body(fromS3, query)).as(query).isEqualTo(expected);
    }
    assertThat(body(fromS3, QUERIES.get(0))).contains("\"batch\":{\"from\":\"" + T0 + "\"");
  }

  @Test
  void shouldAnswerTheSameBytesFromTwoInstancesAndFromEitherWhenTheOtherStops() throws Exception {
    Map<String, String> expected = new HashMap<>();
    for (String query : QUERIES) {
      expected.put(query, body(fromLocal, query));
    }
    ServingApp first = ready(ServingApp.start(config(s3Flags("replay"))));
    try (ServingApp second = ready(ServingApp.start(config(s3Flags("replay"))))) {
      for (String query : QUERIES) {
        assertThat(body(first, query)).as(query).isEqualTo(body(second, query));
        assertThat(body(second, query)).as(query).isEqualTo(expected.get(query));
      }

      first.close();

      for (String query : QUERIES) {
        assertThat(body(second, query)).as(query).isEqualTo(expected.get(query));
      }
      assertThat(localLake.get(second.baseUrl(), "/health/ready").statusCode()).isEqualTo(200);
    } finally {
      first.close();
    }
  }

  @Test
  void shouldReadTheNewManifestWhenTheViewIsReplacedBetweenManifestAndFileRead() throws Exception {
    Pipeline replaced = localLake.withLake(s3Location("replaced"));
    ViewFolder traffic = CATALOG.folder("traffic");
    List<AccessLogEvent> batch = new ArrayList<>();
    for (int i = 0; i < 360; i++) {
      batch.add(hit(T0.plusSeconds(i * 20L), "c" + (i % 37), "DE", 200, "/"));
    }
    replaced.publishBatch(traffic, traffic.fold(batch), WATERMARK);
    int[] swaps = {0};
    LakeStorage lake =
        new SwapOnFirstRead(
            LakeStorages.open(replaced.lake, "oxbow-test-swap"),
            () -> {
              // the compactor publishes new versions of every hour and removes the old ones
              swaps[0]++;
              replaced.publishBatch(traffic, traffic.fold(batch), WATERMARK);
            });
    Map<String, String> flags = s3Flags("replaced");
    String query = "traffic/query?from=" + T0 + "&to=" + WATERMARK + "&granularity=hour";
    try (ServingApp app =
        ready(ServingApp.start(config(flags), CATALOG, HttpSecurityConfig.none("serve"), lake))) {
      HttpResponse<String> answer = get(app, query);

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(swaps[0]).isEqualTo(1);
      assertThat(answer.body()).contains("\"requests\":180");
    } finally {
      replaced.close();
    }
  }

  @Test
  void shouldBoundTheDecodedFilesAndKeepNoDownloadedCopyForAnS3Lake() throws Exception {
    Path staging = Files.createTempDirectory(Path.of("target"), "s3-reads");
    ViewFolder traffic = CATALOG.folder("traffic");
    try (LakeStorage lake =
        new io.oxbow.lake.S3LakeStorage(
            io.oxbow.lake.S3LakeStorage.client(
                URI.create(s3rver.endpoint()), "us-east-1", true, "S3RVER", "S3RVER"),
            "serving",
            "replay",
            staging)) {
      ParquetBatchViews fewFiles = new ParquetBatchViews(lake, 1 << 30, 1);
      ParquetBatchViews fewBytes = new ParquetBatchViews(lake, 4_096, 1_000);
      ParquetBatchViews unbounded = new ParquetBatchViews(lake, 1 << 30, 1_000);

      long from = T0.toEpochMilli();
      long to = WATERMARK.toEpochMilli();
      var all = unbounded.read(traffic, from, to).keySet();
      assertThat(all).hasSize(360);
      assertThat(fewFiles.read(traffic, from, to).keySet()).isEqualTo(all);
      assertThat(fewBytes.read(traffic, from, to).keySet()).isEqualTo(all);

      assertThat(unbounded.cachedFiles()).isEqualTo(2);
      assertThat(fewFiles.cachedFiles()).isEqualTo(1);
      assertThat(fewBytes.cachedBytes()).isLessThanOrEqualTo(4_096);
      assertThat(fewBytes.cachedBytes()).isLessThan(unbounded.cachedBytes());
      try (Stream<Path> left = Files.list(staging)) {
        assertThat(left).as("downloaded copies left on disk").isEmpty();
      }
    }
  }

  private LakeLocation s3Location(String prefix) {
    return LakeLocation.s3(
        URI.create("s3://serving/" + prefix), URI.create(s3rver.endpoint()), "S3RVER", "S3RVER");
  }

  /** {@code serve --lake-uri s3://serving/<prefix>} with the S3 settings of the test server. */
  private Map<String, String> s3Flags(String prefix) {
    return Map.of(
        "serve.lake-uri",
        "s3://serving/" + prefix,
        "serve.s3-endpoint",
        s3rver.endpoint(),
        "serve.s3-access-key",
        "S3RVER",
        "serve.s3-secret-key",
        "S3RVER");
  }

  /** The serving settings of this replay, plus {@code lake}: only where the lake is differs. */
  private ServeConfig config(Map<String, String> lake) {
    Map<String, String> flags = new HashMap<>(lake);
    flags.put("serve.port", "0");
    flags.put("serve.bootstrap-servers", localLake.bootstrap);
    flags.put("serve.schema-registry-url", localLake.registry);
    flags.put("serve.speed-topic-prefix", localLake.prefix + "views.speed.");
    flags.put("serve.dlq-topic", localLake.dlqTopic());
    flags.put("serve.stream-group", localLake.prefix + "stream");
    flags.put("serve.batch-group", localLake.prefix + "batch");
    return ServeConfig.from(ConfigSource.ofFlags(flags));
  }

  private ServingApp ready(ServingApp app) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> localLake.get(app.baseUrl(), "/health/ready").statusCode() == 200);
    return app;
  }

  private HttpResponse<String> get(ServingApp app, String query) throws Exception {
    return localLake.get(app.baseUrl(), "/api/v1/views/" + query);
  }

  private String body(ServingApp app, String query) throws Exception {
    HttpResponse<String> answer = get(app, query);
    assertThat(answer.statusCode()).as(query + ": " + answer.body()).isEqualTo(200);
    return answer.body();
  }
}
