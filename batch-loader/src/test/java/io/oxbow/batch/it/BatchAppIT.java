package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.batch.BatchApp;
import io.oxbow.batch.BatchCommand;
import io.oxbow.batch.BatchConfig;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The batch loader as the demo runs it (in-process {@link BatchApp}) and {@code --recompute}. */
@ExtendWith(KafkaBackendExtension.class)
class BatchAppIT {
  @TempDir Path dir;

  @Test
  void shouldLandCompactServeHealthAndRecompute(KafkaBackend kafka) throws Exception {
    String topic = "access-logs.enriched-app-it";
    String registry = "mock://app-it";
    Topics.create(kafka.bootstrapServers(), topic, 2);
    List<AccessLogEvent> events = SampleEvents.load(300);
    Topics.produce(
        kafka.bootstrapServers(), registry, topic, events, v -> ((AccessLogEvent) v).getClient());
    Map<String, String> settings =
        Map.of(
            "batch.bootstrap-servers", kafka.bootstrapServers(),
            "batch.schema-registry-url", registry,
            "batch.lake-dir", dir.resolve("lake").toString(),
            "batch.group-id", "app-it",
            "batch.datasets", topic + ":event_time:access-logs.enriched",
            "batch.rotate-interval", "1s",
            "batch.idle-timeout", "500ms",
            "batch.compaction-interval", "1s",
            "batch.http-port", "0");
    long lastEvent =
        events.stream().mapToLong(e -> e.getEventTime().toEpochMilli()).max().orElseThrow();
    HttpClient http = HttpClient.newHttpClient();
    try (BatchApp app = BatchApp.start(BatchConfig.of(settings))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> app.reader().watermark("traffic").orElse(0) > lastEvent);
      assertThat(app.rowsLanded()).isEqualTo(events.size());
      assertThat(get(http, app.httpUrl() + "/health/live")).contains("UP");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(http, app.httpUrl() + "/health/ready").contains("\"status\":\"UP\""));
      String metrics = get(http, app.httpUrl() + "/metrics");
      assertThat(metrics).contains("oxbow_batch_landed_rows_total");
      // one watermark series per configured view; those of the landed dataset follow its manifest
      ViewCatalog catalog = ViewCatalog.defaults();
      for (String view : catalog.names()) {
        assertThat(watermarkSeries(metrics, view)).as(view).hasSize(1);
      }
      List<String> landedViews =
          catalog.folders().stream()
              .filter(v -> v.definition().source().id().equals("access-logs.enriched"))
              .map(ViewFolder::name)
              .toList();
      assertThat(landedViews).contains("traffic", "pages");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                String now = get(http, app.httpUrl() + "/metrics");
                for (String view : landedViews) {
                  assertThat(Double.parseDouble(watermarkSeries(now, view).get(0)))
                      .as(view)
                      .isEqualTo((double) app.reader().watermark(view).orElseThrow());
                }
              });
    }

    Path props = dir.resolve("batch.properties");
    Files.writeString(
        props,
        "batch.lake-dir="
            + dir.resolve("lake")
            + "\nbatch.datasets="
            + topic
            + ":event_time:access-logs.enriched\n");
    int exit =
        new CommandLine(new BatchCommand())
            .execute("--config", props.toString(), "--recompute", "2015-05-17", "2015-05-18");
    assertThat(exit).isZero();
    ViewManifest manifest =
        new ViewManifestStore(new io.oxbow.lake.LocalLakeStorage(dir.resolve("lake"))).read();
    assertThat(manifest.views().get("traffic").hours().values())
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v.version()).isEqualTo(2));
  }

  /** The values of the series {@code oxbow_batch_watermark{...,view="<view>"}}. */
  private static List<String> watermarkSeries(String metrics, String view) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("oxbow_batch_watermark{"))
        .filter(l -> l.contains("view=\"" + view + "\""))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .toList();
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
