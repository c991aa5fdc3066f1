package io.oxbow.stream.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Pins what {@link StreamsInternals} relies on in the Kafka Streams version in use: a processor
 * that never forwards from {@code process} gets its held output out through the commit hook, as its
 * own node (its children receive it) and with the record context of its last input; the hook's
 * store is closed with the task. A Kafka upgrade that changes any of this fails here.
 */
class StreamsInternalsTest {
  private static final String HOOK = "holder-hook";

  /** Holds every record in memory and sends them only from the commit hook. */
  private static final class Holder implements Processor<String, String, String, String> {
    private final List<Record<String, String>> held = new ArrayList<>();
    private final AtomicInteger discards;
    private ProcessorContext<String, String> context;
    private RecordMetadata lastInput;

    Holder(AtomicInteger discards) {
      this.discards = discards;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
      StreamsInternals.bindCommitHook(
          context,
          HOOK,
          () -> lastInput,
          this::sendHeld,
          () -> {
            held.clear();
            discards.incrementAndGet();
          });
    }

    @Override
    public void process(Record<String, String> record) {
      held.add(record);
      lastInput = context.recordMetadata().orElseThrow();
    }

    private void sendHeld() {
      held.forEach(context::forward);
      held.clear();
    }
  }

  /** Appends the record context its parent forwarded with: {@code value@topic/partition/offset}. */
  private static final class Probe implements Processor<String, String, String, String> {
    private ProcessorContext<String, String> context;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
    }

    @Override
    public void process(Record<String, String> record) {
      RecordMetadata m = context.recordMetadata().orElseThrow();
      context.forward(
          record.withValue(
              record.value() + "@" + m.topic() + "/" + m.partition() + "/" + m.offset()));
    }
  }

  private static Topology topology(AtomicInteger discards) {
    Topology topology = new Topology();
    topology.addSource(
        "in-source", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
    topology.addProcessor("holder", () -> new Holder(discards), "in-source");
    topology.addStateStore(StreamsInternals.commitHookStore(HOOK), "holder");
    topology.addProcessor("probe", Probe::new, "holder");
    topology.addSink(
        "out-sink", "out", Serdes.String().serializer(), Serdes.String().serializer(), "probe");
    return topology;
  }

  private static Properties props() throws IOException {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "streams-internals-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(
        StreamsConfig.STATE_DIR_CONFIG,
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "si").toString());
    return props;
  }

  @Test
  void shouldSendHeldOutputAtEachCommitAsTheHoldingNodeWithItsLastInput() throws IOException {
    AtomicInteger discards = new AtomicInteger();
    Instant t0 = Instant.parse("2026-12-05T00:00:00Z");
    try (TopologyTestDriver driver = new TopologyTestDriver(topology(discards), props(), t0)) {
      TestInputTopic<String, String> in =
          driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
      TestOutputTopic<String, String> out =
          driver.createOutputTopic(
              "out", Serdes.String().deserializer(), Serdes.String().deserializer());

      // the driver commits the task after every input record
      in.pipeInput("k1", "a", t0.plusSeconds(1));
      assertThat(out.readRecordsToList())
          .extracting(TestRecord::key, TestRecord::value, TestRecord::getRecordTime)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("k1", "a@in/0/0", t0.plusSeconds(1)));
      in.pipeInput("k2", "b", t0.plusSeconds(2));
      assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("k2", "b@in/0/1"));
      assertThat(discards).hasValue(0);
    }
    assertThat(discards).as("the hook's store is closed with its task").hasValue(1);
  }

  @Test
  void shouldBeVerifiedAgainstTheKafkaStreamsVersionInUse() throws IOException {
    Properties version = new Properties();
    try (InputStream in =
        Topology.class.getResourceAsStream("/kafka/kafka-streams-version.properties")) {
      assertThat(in).as("kafka-streams' version resource").isNotNull();
      version.load(in);
    }
    assertThat(version.getProperty("version"))
        .as(
            "StreamsInternals was verified with Kafka Streams "
                + StreamsInternals.VERIFIED_KAFKA_STREAMS_VERSION
                + "; after an upgrade follow its Javadoc (what to check), then update"
                + " VERIFIED_KAFKA_STREAMS_VERSION")
        .isEqualTo(StreamsInternals.VERIFIED_KAFKA_STREAMS_VERSION);
  }
}
