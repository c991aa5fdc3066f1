package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full replay whose lake lives only in S3-compatible storage (s3rver): every service in one
 * process, the batch loader landing and compacting into {@code s3://replay/lake} and the serving
 * API reading it from there ({@code batch.lake-uri}, {@code serve.lake-uri}). Once the batch layer
 * has caught up, its answers are the same bytes as those of a serving API over a local copy of that
 * lake and the same topics; nothing of the lake is on local disk.
 */
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

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aReplayWithItsLakeInS3AnswersAsOverTheLocalLake(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(S3rver.available(), "Node.js and npm are not installed: skipped");
    List<String> sample =
        Files.readAllLines(
                ROOT.resolve("samples/access-logs/elastic_apache_logs.log"), StandardCharsets.UTF_8)
            .subList(0, 2000);
    Path logs = Files.write(dir.resolve("sample.log"), sample, StandardCharsets.UTF_8);
    int offset = 10000 + ThreadLocalRandom.current().nextInt(0, 40) * 100;
    try (S3rver s3 = S3rver.start("replay")) {
      Map<String, String> settings = new HashMap<>();
      settings.put("batch.allowed-lateness", "1m");
      settings.put("batch.idle-timeout", "5s");
      settings.put("batch.compaction-interval", "2s");
      settings.put("stream.grace", "3h");
      for (String service : List.of("batch", "serve")) {
        settings.put(service + ".lake-uri", "s3://replay/lake");
        settings.put(service + ".s3-endpoint", s3.endpoint());
        settings.put(service + ".s3-access-key", "S3RVER");
        settings.put(service + ".s3-secret-key", "S3RVER");
      }
      Path data = dir.resolve("data");
      try (DemoStack stack = DemoStack.start(data, offset, List.of(), settings);
          LakeStorage lake = LakeStorages.open(s3Lake(s3), "oxbow-test-copy")) {
        Replayer.of(
                List.of(logs),
                URI.create(stack.ingestUrl()),
                stack.apiKey(),
                dir.resolve("replay.json"),
                Clock.systemUTC())
            .run(0, false, 0.35, (sent, total, t) -> {});
        Path copy = dir.resolve("local-lake");
        Map<String, String> local = new HashMap<>();
        local.put("serve.port", "0");
        local.put("serve.bootstrap-servers", stack.kafka());
        local.put("serve.schema-registry-url", stack.registryUrl());
        local.put("serve.lake-dir", copy.toString());
        try (ServingApp fromLocal =
            ServingApp.start(ServeConfig.from(ConfigSource.ofFlags(local)))) {
          // the loader closes the replay's hours one by one; compare once it is quiet
          await()
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofSeconds(3))
              .until(() -> compacted(lake) && sameAnswers(stack, lake, copy, fromLocal));
        }
        assertThat(data.resolve("lake")).doesNotExist();
      }
    }
  }

  private static LakeLocation s3Lake(S3rver s3) {
    return LakeLocation.s3(
        URI.create("s3://replay/lake"), URI.create(s3.endpoint()), "S3RVER", "S3RVER");
  }

  /** True once the loader has published a batch view of {@code traffic} with files. */
  private static boolean compacted(LakeStorage lake) {
    try {
      return new ViewManifestStore(lake)
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
  private boolean sameAnswers(DemoStack stack, LakeStorage lake, Path copy, ServingApp fromLocal)
      throws Exception {
    for (StoredObject object : lake.listObjects("")) {
      Path target = copy.resolve(object.key());
      Files.createDirectories(target.getParent());
      Files.write(target, lake.read(object.key()).orElseThrow());
    }
    for (String query : QUERIES) {
      HttpResponse<String> s3 = get(stack.apiUrl(), query, stack.apiKey());
      assertThat(s3.statusCode()).as(query + ": " + s3.body()).isEqualTo(200);
      // the copy is taken object by object while the loader writes: a manifest copied after a
      // listing may name a file the copy lacks, and then the copy answers 503 until the next round
      HttpResponse<String> local = get(fromLocal.baseUrl(), query, null);
      if (local.statusCode() != 200 || !s3.body().equals(local.body())) {
        return false;
      }
    }
    return true;
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
