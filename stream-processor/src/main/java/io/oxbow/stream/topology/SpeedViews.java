package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.contracts.avro.ViewKey;
import io.oxbow.stream.internals.StreamsInternals;
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
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Adds one speed view to a topology in two steps.
 *
 * <ol>
 *   <li>{@code speed-<view>-partial-fold}: per input task, filter by the view's filter and fold
 *       into partial aggregates per group in memory ({@link PartialFold}, buffer {@code
 *       speed-<view>-partials}), sent on once per commit.
 *   <li>Repartition the partials by group ({@code <view>-by-group}), drop and count those beyond
 *       the grace period ({@code speed-<view>-late-filter}), merge them with the view's monoid in
 *       tumbling event-time windows (store {@code speed-<view>-store}), and write every changed
 *       group to the compacted {@code views.speed.<view>} (key {@link ViewKey}: window and
 *       dimensions; value {@link ViewAggregate}).
 * </ol>
 *
 * <p>Every input record reaches the speed view exactly once under exactly_once_v2: a partial is
 * sent in the transaction that commits the offsets of the records folded into it.
 */
final class SpeedViews {
  /** Groups one partial fold holds before it sends them without waiting for the commit. */
  static final int MAX_PENDING_GROUPS = 10_000;

  private SpeedViews() {}

  /** The names of the parts of one view, shared with tests. */
  static String prefix(String view) {
    return "speed-" + view;
  }

  static <V extends GenericRecord> void add(
      KStream<String, V> input,
      ViewFolder folder,
      String speedTopic,
      Duration grace,
      StreamSerdes serdes,
      StreamMetrics metrics,
      StreamsBuilder builder) {
    String view = folder.name();
    String p = prefix(view);
    long windowMs = folder.definition().window().millis();
    Serde<List<String>> dims = DimensionsSerde.create();
    AggregateCodec codec = folder.codec();
    Serde<Aggregate> aggregates =
        Serdes.serdeFrom((t, a) -> codec.toBytes(a), (t, b) -> codec.fromBytes(b));
    byte[] identity = codec.toBytes(folder.identity());
    String buffer = p + "-partials";
    builder.addStateStore(StreamsInternals.commitHookStore(buffer));
    input
        .process(
            () -> new PartialFold<V>(folder, buffer, MAX_PENDING_GROUPS),
            Named.as(p + "-partial-fold"),
            buffer)
        .repartition(
            Repartitioned.<List<String>, Aggregate>as(p + "-by-group")
                .withKeySerde(dims)
                .withValueSerde(aggregates))
        .processValues(
            () -> new LateRecordFilter<List<String>>(view, windowMs, grace.toMillis(), metrics),
            Named.as(p + "-late-filter"))
        .groupByKey(
            Grouped.<List<String>, Aggregate>as(p + "-grouped")
                .withKeySerde(dims)
                .withValueSerde(aggregates))
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(windowMs), grace))
        // the store holds each group in the codec's bytes, so writing a changed group to the
        // speed view copies its sketch states instead of decoding and encoding them again
        .aggregate(
            () -> identity,
            // a window's first partial is its value: the initializer's array means "nothing yet"
            (k, partial, stored) ->
                codec.toBytes(
                    stored == identity ? partial : folder.merge(codec.fromBytes(stored), partial)),
            Named.as(p + "-aggregate"),
            Materialized.<List<String>, byte[], WindowStore<Bytes, byte[]>>as(
                    TopologyNames.speedViewStore(view))
                .withKeySerde(dims)
                .withValueSerde(Serdes.ByteArray())
                .withRetention(
                    Duration.ofMillis(
                        Math.max(windowMs * 2 + grace.toMillis(), Duration.ofDays(1).toMillis()))))
        .toStream(Named.as(p + "-changes"))
        .map(
            (w, stored) -> {
              GroupKey key = new GroupKey(w.window().start(), w.window().end(), w.key());
              return KeyValue.pair(codec.toAvroKey(key), codec.toAvro(key, stored));
            },
            Named.as(p + "-to-avro"))
        .to(
            speedTopic,
            Produced.with(serdes.viewKey(), serdes.viewAggregate()).withName(p + "-sink"));
  }
}
