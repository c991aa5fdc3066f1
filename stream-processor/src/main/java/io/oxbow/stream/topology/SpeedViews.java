package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.contracts.avro.ViewKey;
import io.oxbow.stream.StreamMetrics;
import io.oxbow.views.Aggregate;
import io.oxbow.views.AggregateCodec;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.time.Duration;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Adds one speed view to a topology: filter by the view's filter, key by dimension values,
 * repartition by that key ({@code <view>-by-group}), drop and count records beyond the grace
 * period, fold with the view's {@link ViewFolder} in tumbling event-time windows (store {@code
 * speed-<view>-store}), and write every changed group to the compacted {@code views.speed.<view>}
 * (key {@link ViewKey}: window and dimensions; value {@link ViewAggregate}).
 */
final class SpeedViews {
  private SpeedViews() {}

  /** The names of the parts of one view, shared with tests. */
  static String prefix(String view) {
    return "speed-" + view;
  }

  /** Name of the aggregate's window store. */
  static String storeName(String view) {
    return prefix(view) + "-store";
  }

  static <V extends GenericRecord> void add(
      KStream<String, V> input,
      Serde<V> valueSerde,
      ViewFolder folder,
      String speedTopic,
      Duration grace,
      StreamSerdes serdes,
      StreamMetrics metrics,
      org.apache.kafka.streams.StreamsBuilder builder) {
    String view = folder.name();
    String p = prefix(view);
    long windowMs = folder.definition().window().millis();
    Serde<List<String>> dims = DimensionsSerde.create();
    AggregateCodec codec = folder.codec();
    Serde<Aggregate> aggregates =
        Serdes.serdeFrom((t, a) -> codec.toBytes(a), (t, b) -> codec.fromBytes(b));
    String streamTimeStore = p + "-stream-time";
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(streamTimeStore), Serdes.String(), Serdes.Long()));
    input
        .filter((k, v) -> folder.accepts(v), Named.as(p + "-filter"))
        .map((k, v) -> KeyValue.pair(folder.key(v).dimensions(), v), Named.as(p + "-key"))
        .repartition(
            Repartitioned.<List<String>, V>as(p + "-by-group")
                .withKeySerde(dims)
                .withValueSerde(valueSerde))
        .processValues(
            () ->
                new LateRecordFilter<List<String>, V>(
                    view, windowMs, grace.toMillis(), streamTimeStore, metrics),
            Named.as(p + "-late-filter"),
            streamTimeStore)
        .groupByKey(
            Grouped.<List<String>, V>as(p + "-grouped")
                .withKeySerde(dims)
                .withValueSerde(valueSerde))
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(windowMs), grace))
        .aggregate(
            folder::identity,
            (k, v, agg) -> folder.add(agg, v),
            Named.as(p + "-aggregate"),
            Materialized.<List<String>, Aggregate, WindowStore<Bytes, byte[]>>as(storeName(view))
                .withKeySerde(dims)
                .withValueSerde(aggregates)
                .withRetention(
                    Duration.ofMillis(
                        Math.max(windowMs * 2 + grace.toMillis(), Duration.ofDays(1).toMillis()))))
        .toStream(Named.as(p + "-changes"))
        .map(
            (w, agg) -> {
              GroupKey key = new GroupKey(w.window().start(), w.window().end(), w.key());
              return KeyValue.pair(codec.toAvroKey(key), codec.toAvro(key, agg));
            },
            Named.as(p + "-to-avro"))
        .to(
            speedTopic,
            Produced.with(serdes.viewKey(), serdes.viewAggregate()).withName(p + "-sink"));
  }
}
