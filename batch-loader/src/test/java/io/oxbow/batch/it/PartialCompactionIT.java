package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.batch.BatchApp;
import io.oxbow.batch.BatchConfig;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeLayout;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two batch-loader instances on one broker and one lake: the one that does not compact folds its
 * partitions' closed hours into partial aggregates, and the compacting one merges them (counted on
 * its {@code /metrics}) instead of folding those rows, into a view equal to the direct fold.
 */
@ExtendWith(KafkaBackendExtension.class)
class PartialCompactionIT {
  private static final String REGISTRY = "mock://partial-compaction-it";
  private static final String GROUP = "partial-compaction-it";
  private static final int PARTITIONS = 4;
  private static final long H10 = Instant.parse("2015-05-17T10:00:00Z").toEpochMilli();
  private static final long H = LakeLayout.HOUR_MS;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void shouldMergeTheOtherInstancesPartialsIntoTheViewOfTheDirectCount(KafkaBackend kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String topic = "access-logs.enriched-partials-it";
    Topics.create(bootstrap, topic, PARTITIONS);
    Map<String, String> settings =
        Map.of(
            "batch.bootstrap-servers",
            bootstrap,
            "batch.schema-registry-url",
            REGISTRY,
            "batch.lake-dir",
            dir.resolve("lake").toString(),
            "batch.group-id",
            GROUP,
            "batch.datasets",
            topic + ":event_time:access-logs.enriched",
            "batch.rotate-interval",
            "1s",
            // event time alone closes hours here: the wall clock is years past the sample
            "batch.idle-timeout",
            "1h",
            "batch.compaction-interval",
            "1s",
            "batch.speed-cleanup-margin",
            "0s",
            "batch.http-port",
            "0");
    HttpClient http = HttpClient.newHttpClient();
    List<AccessLogEvent> sample = SampleEvents.load(800);
    // a first record in every partition, so that no partition counts as idle (never had a record)
    Map<Integer, List<AccessLogEvent>> seeds = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      seeds.put(p, List.of(at(sample.get(p), H10)));
    }
    produce(bootstrap, topic, seeds);
    List<AccessLogEvent> events = new ArrayList<>();
    seeds.values().forEach(events::addAll);
    try (BatchApp first = BatchApp.start(BatchConfig.of(settings));
        BatchApp second = BatchApp.start(BatchConfig.of(settings))) {
      Map<String, Set<Integer>> owned = awaitTwoMembers(bootstrap, topic);
      BatchApp leader = compacting(http, first) ? first : second;
      BatchApp other = leader == first ? second : first;
      Set<Integer> otherPartitions =
          owned.values().stream().filter(ps -> !ps.contains(0)).findFirst().orElseThrow();
      Set<Integer> leaderPartitions = new TreeSet<>();
      owned.values().stream().filter(ps -> ps.contains(0)).forEach(leaderPartitions::addAll);
      assertThat(compacting(http, other)).isFalse();

      // the other instance's partitions move past 10:00 and 11:00; the leader's stay in hour 10
      Map<Integer, List<AccessLogEvent>> early = new HashMap<>();
      Map<Integer, List<AccessLogEvent>> later = new HashMap<>();
      int i = 0;
      for (AccessLogEvent e : sample.subList(PARTITIONS, sample.size())) {
        int p = i % PARTITIONS;
        boolean otherOwns = otherPartitions.contains(p);
        // about 200 events per partition, 45 s apart from 10:00 to 12:30; the leader's after 10:30
        // come later
        long offsetInRun = (i / PARTITIONS) * 45_000L;
        AccessLogEvent moved = at(e, H10 + offsetInRun);
        boolean first30 = offsetInRun < 30 * 60_000L;
        (otherOwns || first30 ? early : later)
            .computeIfAbsent(p, k -> new ArrayList<>())
            .add(moved);
        events.add(moved);
        i++;
      }
      produce(bootstrap, topic, early);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> partialsOf(leader, "traffic").size() == otherPartitions.size() * 2);
      assertThat(leader.reader().watermark("traffic").orElse(0))
          .as("the leader's partitions hold hour 10 open")
          .isLessThanOrEqualTo(H10);

      produce(bootstrap, topic, later);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> leader.reader().watermark("traffic").orElse(0) >= H10 + 2 * H);

      // the other instance folded its partitions' two hours and the leader merged those partials;
      // its own partitions, closing last with nothing left to wait for, it folded in the merge
      String metrics = get(http, leader.httpUrl() + "/metrics");
      assertThat(written(get(http, other.httpUrl() + "/metrics")))
          .isEqualTo(otherPartitions.size() * 2.0);
      assertThat(written(metrics)).isZero();
      assertThat(merged(metrics, "partial")).isEqualTo(otherPartitions.size() * 2.0);
      assertThat(merged(metrics, "folded")).isEqualTo(leaderPartitions.size() * 2.0);
      List<AccessLogEvent> closed =
          events.stream().filter(e -> e.getEventTime().toEpochMilli() < H10 + 2 * H).toList();
      ViewFolder traffic = ViewCatalog.defaults().folder("traffic");
      Map<GroupKey, Long> direct = new TreeMap<>();
      traffic.fold(closed).forEach((k, a) -> direct.put(k, a.records()));
      Map<GroupKey, Long> batch = new TreeMap<>();
      leader.reader().read(traffic, H10, H10 + 2 * H).forEach((k, a) -> batch.put(k, a.records()));
      assertThat(batch).isEqualTo(direct);
      assertThat(batch.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(closed.size());
      // the partials used are removed in the cycle that published them
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                for (String view : List.of("traffic", "pages", "errors")) {
                  assertThat(partialsOf(leader, view)).as(view).isEmpty();
                }
              });
    }
  }

  private static List<String> partialsOf(BatchApp app, String view) throws Exception {
    return app.storage().list(LakeLayout.partialFolder(view));
  }

  /** The partitions of {@code topic} each of the group's two members owns, once it has two. */
  private static Map<String, Set<Integer>> awaitTwoMembers(String bootstrap, String topic)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<String, Set<Integer>> owned = new HashMap<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                ConsumerGroupDescription group =
                    admin
                        .describeConsumerGroups(List.of(GROUP))
                        .all()
                        .get(10, TimeUnit.SECONDS)
                        .get(GROUP);
                owned.clear();
                for (MemberDescription member : group.members()) {
                  Set<Integer> partitions = new TreeSet<>();
                  for (TopicPartition tp : member.assignment().topicPartitions()) {
                    if (tp.topic().equals(topic)) {
                      partitions.add(tp.partition());
                    }
                  }
                  owned.put(member.consumerId(), partitions);
                }
                return owned.size() == 2
                    && owned.values().stream().noneMatch(Set::isEmpty)
                    && owned.values().stream().mapToInt(Set::size).sum() == PARTITIONS;
              });
      return owned;
    }
  }

  private static boolean compacting(HttpClient http, BatchApp app) throws Exception {
    return JSON.readTree(get(http, app.httpUrl() + "/status")).path("compacting").asBoolean();
  }

  private static void produce(
      String bootstrap, String topic, Map<Integer, List<AccessLogEvent>> byPartition)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY), false);
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(props, new StringSerializer(), serializer)) {
      byPartition.forEach(
          (p, events) ->
              events.forEach(e -> producer.send(new ProducerRecord<>(topic, p, e.getClient(), e))));
      producer.flush();
    }
  }

  /** The value of {@code oxbow_batch_compaction_partitions_total{source="<source>"}}. */
  private static double merged(String metrics, String source) {
    return series(metrics, "oxbow_batch_compaction_partitions_total{", "source=\"" + source);
  }

  /** The value of {@code oxbow_batch_partials_written_total}. */
  private static double written(String metrics) {
    return series(metrics, "oxbow_batch_partials_written_total", "");
  }

  private static double series(String metrics, String name, String label) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name) && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(Double.NaN);
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static AccessLogEvent at(AccessLogEvent event, long eventTime) {
    return AccessLogEvent.newBuilder(event).setEventTime(Instant.ofEpochMilli(eventTime)).build();
  }
}
