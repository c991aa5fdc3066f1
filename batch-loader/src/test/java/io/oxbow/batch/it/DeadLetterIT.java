package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.DeadLetterSink;
import io.oxbow.batch.landing.Lander;
import io.oxbow.batch.landing.LandingSettings;
import io.oxbow.batch.landing.RegistryDecoder;
import io.oxbow.batch.landing.RejectSink;
import io.oxbow.batch.landing.RollPolicy;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.deadletter.DeadLetter;
import io.oxbow.contracts.deadletter.DeadLetterHeaders;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.lifecycle.SupervisedWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that cannot be landed goes to the dead-letter topic with a bounded reason code; the rest
 * lands, gap-free, even when the lander dies on the way and is restarted.
 */
@ExtendWith(KafkaBackendExtension.class)
class DeadLetterIT {
  @TempDir Path lake;

  @Test
  void shouldSendUndecodableRecordsToTheDeadLetterTopicWithTheReason(KafkaBackend kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String topic = "access-logs.enriched-dlq-it";
    String dlq = "access-logs.dlq-dlq-it";
    String registry = "mock://dlq-it";
    DatasetSpec spec = DatasetSpec.of(topic, "event_time");
    Topics.create(bootstrap, dlq, 1);
    produceAroundAnUndecodableRecord(bootstrap, registry, topic);

    LocalLakeStorage storage = new LocalLakeStorage(lake);
    try (Lander lander =
        new Lander(
            new LandingSettings(
                bootstrap,
                "dlq-it",
                List.of(spec),
                new RollPolicy(1000, 64L << 20, Duration.ofSeconds(1)),
                Duration.ofMillis(100),
                Map.of()),
            storage,
            new RegistryDecoder(registry, Map.of()),
            new DeadLetterSink(bootstrap, dlq),
            Clock.systemUTC(),
            new SimpleMeterRegistry())) {
      Thread thread = new Thread(lander, "lander-dlq-it");
      thread.start();
      LandingRun.awaitLanded(storage, spec, bootstrap, 1);
      lander.close();
      thread.join(10_000);
    }

    LakeChecks.assertTiled(storage, spec.dataset(), topic, Topics.endOffsets(bootstrap, topic, 1));
    assertThat(
            LakeChecks.duckLong(
                "select count(*) from read_parquet('"
                    + LakeChecks.glob(lake, spec.dataset())
                    + "')"))
        .isEqualTo(50);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(bootstrap, dlq);
    assertThat(dead).hasSize(1);
    ConsumerRecord<byte[], byte[]> record = dead.get(0);
    assertThat(new String(record.value(), StandardCharsets.UTF_8))
        .isEqualTo("plain text, not Avro");
    DeadLetter letter = DeadLetterHeaders.read(record.headers());
    assertThat(letter.stage()).isEqualTo("land");
    assertThat(letter.sourceTopic()).isEqualTo(topic);
    assertThat(letter.sourcePartition()).isZero();
    assertThat(letter.sourceOffset()).isEqualTo(25L);
    assertThat(letter.reason()).isEqualTo("UNDECODABLE");
    assertThat(letter.exceptionClass()).isNotBlank();
    assertThat(letter.time()).isNotNull();
    assertThat(letter.exceptionMessage()).contains(topic).containsIgnoringCase("magic");
  }

  @Test
  void shouldRestartALanderKilledByAnUnexpectedFailureAndStillLandEverything(KafkaBackend kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String topic = "access-logs.enriched-restart-it";
    String dlq = "access-logs.dlq-restart-it";
    String registry = "mock://restart-it";
    DatasetSpec spec = DatasetSpec.of(topic, "event_time");
    Topics.create(bootstrap, dlq, 1);
    produceAroundAnUndecodableRecord(bootstrap, registry, topic);

    LocalLakeStorage storage = new LocalLakeStorage(lake);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AtomicInteger rejectCalls = new AtomicInteger();
    try (DeadLetterSink sink = new DeadLetterSink(bootstrap, dlq)) {
      // the first dead letter fails as if the topic were unreachable: the lander thread dies
      RejectSink flaky =
          (record, reason, error) -> {
            if (rejectCalls.incrementAndGet() == 1) {
              throw new IllegalStateException("cannot send a rejected record to " + dlq);
            }
            sink.reject(record, reason, error);
          };
      List<String> readiness = new CopyOnWriteArrayList<>();
      SupervisedWorker<Lander> landing =
          SupervisedWorker.start(
              "lander-restart-it",
              () ->
                  new Lander(
                      new LandingSettings(
                          bootstrap,
                          "restart-it",
                          List.of(spec),
                          new RollPolicy(1000, 64L << 20, Duration.ofSeconds(1)),
                          Duration.ofMillis(100),
                          Map.of()),
                      storage,
                      new RegistryDecoder(registry, Map.of()),
                      flaky,
                      Clock.systemUTC(),
                      meters),
              Duration.ofMillis(200),
              Duration.ofSeconds(5));
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> landing.restarts() == 1);
        try {
          landing.readiness().check(Duration.ofSeconds(1));
        } catch (Exception notReady) {
          readiness.add(notReady.getMessage());
        }
        LandingRun.awaitLanded(storage, spec, bootstrap, 1);
      } finally {
        landing.close();
      }
      assertThat(readiness).singleElement().asString().contains("cannot send a rejected record");
    }

    LakeChecks.assertTiled(storage, spec.dataset(), topic, Topics.endOffsets(bootstrap, topic, 1));
    assertThat(
            LakeChecks.duckLong(
                "select count(*) from read_parquet('"
                    + LakeChecks.glob(lake, spec.dataset())
                    + "')"))
        .isEqualTo(50);
    assertThat(readAll(bootstrap, dlq)).hasSize(1);
    assertThat(meters.counter("oxbow.batch.rejected", "reason", "UNDECODABLE").count())
        .isEqualTo(1.0);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                return !all.isEmpty();
              });
    }
    return all;
  }

  /**
   * Creates {@code topic} and writes 25 sample events, one value that is not Avro, then 25 more.
   */
  private static void produceAroundAnUndecodableRecord(
      String bootstrap, String registry, String topic) throws Exception {
    Topics.create(bootstrap, topic, 1);
    List<AccessLogEvent> events = SampleEvents.load(50);
    Topics.produce(bootstrap, registry, topic, events.subList(0, 25), v -> "k");
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topic, "plain text, not Avro".getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    Topics.produce(bootstrap, registry, topic, events.subList(25, 50), v -> "k");
  }
}
