package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.upstream.KafkaOffsets;
import io.oxbow.batch.upstream.PartitionOffsets;
import io.oxbow.batch.upstream.UpstreamLag;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upstream lag rule on a real broker, with the offsets exactly-once producers leave: an input
 * written in transactions (as the ingest app writes {@code access-logs.raw}) and a group that
 * consumes it with its offsets committed inside its own transactions (as Kafka Streams does under
 * exactly_once_v2).
 */
@ExtendWith(KafkaBackendExtension.class)
class UpstreamLagIT {

  @Test
  void shouldSeeRecordsWaitingAndNotTheMarkersAfterTheLastConsumedOne(KafkaBackend kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String input = "upstream-lag-it.raw";
    String group = "upstream-lag-it";
    Topics.create(bootstrap, input, 1);
    TopicPartition tp = new TopicPartition(input, 0);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        KafkaOffsets offsets = new KafkaOffsets(admin, Map.of("bootstrap.servers", bootstrap));
        KafkaProducer<String, String> ingest = producer(bootstrap, "upstream-lag-it-ingest")) {
      ingest.initTransactions();
      transaction(ingest, input, 0, 5);
      transaction(ingest, input, 5, 10);

      // no group yet: every record waits
      Optional<UpstreamLag> missing = measure(offsets, group, input);
      assertThat(missing)
          .hasValueSatisfying(
              l -> assertThat(l.describe()).contains("lags 12 records").contains("no committed"));

      // the group consumes all ten records and commits after the last one, inside a transaction
      long committed = consumeAllAndCommit(bootstrap, group, tp, 10);
      long end = offsets.endOffsets(input).get(0);
      assertThat(committed).isEqualTo(11);
      assertThat(end)
          .as("the last transaction's marker follows the committed offset")
          .isEqualTo(12);
      assertThat(measure(offsets, group, input)).isEmpty();

      // one more transaction: its record waits, even though its marker follows
      transaction(ingest, input, 10, 11);
      assertThat(measure(offsets, group, input))
          .hasValueSatisfying(l -> assertThat(l.records()).isEqualTo(3));
    }
  }

  private static Optional<UpstreamLag> measure(KafkaOffsets offsets, String group, String topic) {
    List<PartitionOffsets> o = offsets.groupOffsets(group, List.of(topic));
    return UpstreamLag.measure(group, o, offsets);
  }

  private static KafkaProducer<String, String> producer(String bootstrap, String transactionalId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static void transaction(
      KafkaProducer<String, String> producer, String topic, int from, int to) {
    producer.beginTransaction();
    for (int i = from; i < to; i++) {
      producer.send(new ProducerRecord<>(topic, 0, "k", "line " + i));
    }
    producer.commitTransaction();
  }

  /**
   * Reads {@code count} records as one consume-transform-produce stage and commits their offsets.
   */
  private static long consumeAllAndCommit(
      String bootstrap, String group, TopicPartition tp, int count) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> read = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        KafkaProducer<String, String> stage = producer(bootstrap, group + "-stage")) {
      stage.initTransactions();
      consumer.subscribe(List.of(tp.topic()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (read.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
      }
      assertThat(read).hasSize(count);
      long next = read.get(read.size() - 1).offset() + 1;
      stage.beginTransaction();
      stage.sendOffsetsToTransaction(
          Map.of(tp, new OffsetAndMetadata(next)), consumer.groupMetadata());
      stage.commitTransaction();
      return next;
    }
  }
}
