package io.oxbow.bench.stream;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The Kafka I/O that the stream-processor topology does even without speed views, with none of its
 * computation: a floor under what the topology can reach on a given machine.
 *
 * <p>Like the topology, it writes every raw record once more to a topic (the enriched topic's
 * place; here the raw bytes, no parsing or Avro), reads that topic back in a second sub-topology
 * together with an orders topic (the attribution task: two input partitions, so Kafka Streams
 * checks both for data before each record), and keeps every fourth record's first 64 bytes in a
 * persistent, logged window store (the page-view store, where the topology keeps about 60 bytes for
 * each page view: about a quarter of the sample's lines are page views).
 */
final class IoFloor {
  private static final String STORE = "floor-pageviews";
  private static final int KEPT_BYTES = 64;
  private static final int KEEP_ONE_IN = 4;

  private IoFloor() {}

  /**
   * The floor app's topology.
   *
   * @param raw input topic (bytes)
   * @param copy the topic every record is written to and read back from
   * @param orders an input read together with {@code copy} (may be empty)
   * @param retention the store's retention (the topology's page-view store uses twice the
   *     attribution window plus grace)
   */
  static Topology build(String raw, String copy, String orders, Duration retention) {
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(STORE, retention, Duration.ofMinutes(30), true),
            Serdes.Bytes(),
            Serdes.ByteArray()));
    b.stream(raw, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("floor-raw"))
        .to(copy, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("floor-copy"));
    b.stream(
            List.of(copy, orders),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("floor-read-back"))
        .process(Keep::new, Named.as("floor-keep"), STORE);
    return b.build();
  }

  /**
   * Puts the first {@link #KEPT_BYTES} bytes of every {@link #KEEP_ONE_IN}th value into the store,
   * at its timestamp.
   */
  private static final class Keep implements Processor<byte[], byte[], Void, Void> {
    private WindowStore<Bytes, byte[]> store;
    private long seen;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      if (seen++ % KEEP_ONE_IN != 0) {
        return;
      }
      byte[] value = record.value();
      store.put(
          Bytes.wrap(record.key()),
          Arrays.copyOf(value, Math.min(KEPT_BYTES, value.length)),
          record.timestamp());
    }
  }
}
