package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed view stays bounded by the batch watermark: windows it passed leave memory, a start
 * reads only the recent tail of the speed topics, and the merged answers do not change.
 */
@ExtendWith(KafkaBackendExtension.class)
class BoundedSpeedStateIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");
  private static final Duration MARGIN = Duration.ofMinutes(30);

  @TempDir Path lake;

  @Test
  void shouldDropWhatTheBatchViewHoldsReadOnlyTheTailAndAnswerTheSame(KafkaBackend kafka)
      throws Exception {
    Pipeline pipeline = new Pipeline(kafka.bootstrapServers(), lake);
    pipeline.createTopics(CATALOG.names());
    // four hours, two countries a minute: 480 groups in both layers
    List<AccessLogEvent> events = new ArrayList<>();
    for (int minute = 0; minute < 240; minute++) {
      events.add(hit(T0.plusSeconds(minute * 60L), "a" + minute % 7, "DE", 200, "/"));
      events.add(hit(T0.plusSeconds(minute * 60L + 1), "b" + minute % 5, "FR", 200, "/"));
    }
    Map<GroupKey, Aggregate> groups = TRAFFIC.fold(events);
    pipeline.publishSpeed(TRAFFIC, groups, true);
    pipeline.publishBatch(TRAFFIC, groups, T0.plusSeconds(2 * 3600));
    ServeConfig config = withMargin(pipeline.config());
    String query =
        "from=" + T0 + "&to=" + T0.plusSeconds(4 * 3600) + "&granularity=hour&groupBy=country";

    JsonNode before;
    try (ServingApp app = startReady(pipeline, config)) {
      // read from 01:29 (watermark 02:00 - 30m - one window): 151 minutes of 2 groups
      assertThat(recordsRead(pipeline, app)).isEqualTo(302);
      // kept: windows ending after 01:30
      awaitSpeedGroups(pipeline, app, 300);
      before = rows(pipeline, app, query);
      assertThat(before).hasSize(8);

      // the batch view moves on to 03:00: the speed view follows within seconds
      pipeline.publishBatch(TRAFFIC, groups, T0.plusSeconds(3 * 3600));
      awaitSpeedGroups(pipeline, app, 180);
      assertThat(rows(pipeline, app, query)).isEqualTo(before);
    }

    // a restart reads from 02:29 only, and answers the same
    try (ServingApp app = startReady(pipeline, config)) {
      assertThat(recordsRead(pipeline, app)).isEqualTo(182);
      awaitSpeedGroups(pipeline, app, 180);
      assertThat(rows(pipeline, app, query)).isEqualTo(before);
      JsonNode all = ok(pipeline, app, query);
      assertThat(all.at("/sources/speed/from").asText())
          .isEqualTo(T0.plusSeconds(3 * 3600).toString());
      long requests = 0;
      for (JsonNode row : all.get("rows")) {
        requests += row.at("/metrics/requests").asLong();
      }
      assertThat(requests).isEqualTo(events.size());
    }
  }

  private static ServeConfig withMargin(ServeConfig c) {
    return new ServeConfig(
        c.host(),
        c.port(),
        c.bootstrapServers(),
        c.schemaRegistryUrl(),
        c.lake(),
        c.viewsFile(),
        c.speedTopicPrefix(),
        c.dlqTopic(),
        c.streamGroup(),
        c.batchGroup(),
        c.streamMetricsUrl(),
        c.queryLimits(),
        c.queryCacheBytes(),
        c.queryCacheEntries(),
        c.batchCacheBytes(),
        c.batchCacheEntries(),
        c.kafkaSecurity(),
        MARGIN,
        c.maxGroupsPerWindow());
  }

  private static ServingApp startReady(Pipeline pipeline, ServeConfig config) {
    ServingApp app = ServingApp.start(config);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> pipeline.get(app.baseUrl(), "/health/ready").statusCode() == 200);
    return app;
  }

  private static void awaitSpeedGroups(Pipeline pipeline, ServingApp app, int groups) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        ok(pipeline, app, "/api/v1/status")
                            .at("/views/traffic/speed_groups")
                            .asInt())
                    .isEqualTo(groups));
  }

  /** The speed view reader's records, from the Prometheus endpoint. */
  private static long recordsRead(Pipeline pipeline, ServingApp app) throws Exception {
    HttpResponse<String> metrics = pipeline.get(app.baseUrl(), "/metrics");
    return metrics
        .body()
        .lines()
        .filter(l -> l.startsWith("oxbow_tail_records_total{"))
        .filter(l -> l.contains("tail=\"speed-view-store\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  private static JsonNode rows(Pipeline pipeline, ServingApp app, String query) throws Exception {
    return ok(pipeline, app, "/api/v1/views/traffic/query?" + query).get("rows");
  }

  private static JsonNode ok(Pipeline pipeline, ServingApp app, String pathOrQuery)
      throws Exception {
    String path =
        pathOrQuery.startsWith("/") ? pathOrQuery : "/api/v1/views/traffic/query?" + pathOrQuery;
    HttpResponse<String> response = pipeline.get(app.baseUrl(), path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
