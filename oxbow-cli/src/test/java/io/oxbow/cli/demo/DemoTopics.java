package io.oxbow.cli.demo;

import static org.awaitility.Awaitility.await;

import io.oxbow.registry.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a demo stack's Avro topics back, as the invariant tests compare them. */
final class DemoTopics {
  private DemoTopics() {}

  /**
   * Every committed record of {@code topic} (read_committed, from the earliest offset, values as
   * specific Avro records), once at least {@code atLeast} have arrived within {@code timeout} and
   * three polls in a row found nothing more.
   */
  static <T> List<T> readAll(
      DemoStack stack, String topic, Function<Object, T> cast, int atLeast, Duration timeout) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.kafka(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "read-back-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            "schema.registry.url",
            stack.registryUrl(),
            "specific.avro.reader",
            "true");
    List<T> out = new ArrayList<>();
    Deserializer<Object> values = new AvroDeserializer();
    values.configure(props, false);
    try (KafkaConsumer<String, Object> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(timeout)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> out.add(cast.apply(r.value())));
                return out.size() >= atLeast;
              });
      for (int empty = 0; empty < 3; ) {
        int before = out.size();
        consumer.poll(Duration.ofMillis(500)).forEach(r -> out.add(cast.apply(r.value())));
        empty = out.size() == before ? empty + 1 : 0;
      }
    }
    return out;
  }
}
