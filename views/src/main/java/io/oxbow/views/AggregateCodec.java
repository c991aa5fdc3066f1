package io.oxbow.views;

import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.contracts.avro.ViewDimension;
import io.oxbow.contracts.avro.ViewKey;
import io.oxbow.contracts.avro.ViewMetric;
import io.oxbow.views.metric.MetricState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * Converts a view's keys and aggregates to and from their stored forms:
 *
 * <ul>
 *   <li>Avro {@link ViewKey} / {@link ViewAggregate}: key and value of the topics {@code
 *       views.speed.<view>} and the rows of the batch view Parquet. Reading accepts any {@link
 *       GenericRecord} with those fields (e.g. read back from Parquet).
 *   <li>Plain bytes ({@link #toBytes}): a compact form for Kafka Streams state stores.
 * </ul>
 *
 * <p>Reading checks the view name, dimension names and metric names and types against the
 * definition, and fails with a {@link ViewDefinitionException} naming what differs rather than
 * merging states of different definitions. Obtain one from {@link ViewFolder#codec()}.
 */
public final class AggregateCodec {
  private static final byte BYTES_FORMAT = 1;

  private final ViewFolder folder;
  private final ViewDefinition definition;

  AggregateCodec(ViewFolder folder) {
    this.folder = folder;
    this.definition = folder.definition();
  }

  /** The Avro key of {@code key}. */
  public ViewKey toAvroKey(GroupKey key) {
    return ViewKey.newBuilder()
        .setView(definition.name())
        .setWindowStart(Instant.ofEpochMilli(key.windowStart()))
        .setWindowEnd(Instant.ofEpochMilli(key.windowEnd()))
        .setDims(dims(key))
        .build();
  }

  /** The Avro row of one group: key fields, record count and every metric's state. */
  public ViewAggregate toAvro(GroupKey key, Aggregate aggregate) {
    folder.checkSameMetrics(aggregate);
    List<ViewMetric> metrics = new ArrayList<>();
    for (int i = 0; i < definition.metrics().size(); i++) {
      metrics.add(metric(i, aggregate.stateAt(i).toBytes()));
    }
    return row(key, aggregate.records(), metrics);
  }

  /**
   * The same row as {@link #toAvro(GroupKey, Aggregate)} from the aggregate's {@link #toBytes}
   * form, without decoding its sketches (the metric states are copied out as they are).
   *
   * @throws ViewDefinitionException when the bytes hold other metrics or cannot be decoded
   */
  public ViewAggregate toAvro(GroupKey key, byte[] stored) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
      long records = readHeader(in);
      List<ViewMetric> metrics = new ArrayList<>();
      for (int i = 0; i < definition.metrics().size(); i++) {
        metrics.add(metric(i, readState(in, i)));
      }
      return row(key, records, metrics);
    } catch (IOException e) {
      throw mismatch("stored aggregate cannot be read: " + e);
    }
  }

  private ViewMetric metric(int index, byte[] state) {
    MetricSpec spec = definition.metrics().get(index);
    return ViewMetric.newBuilder()
        .setName(spec.name())
        .setType(spec.type().id())
        .setState(ByteBuffer.wrap(state))
        .build();
  }

  private ViewAggregate row(GroupKey key, long records, List<ViewMetric> metrics) {
    return ViewAggregate.newBuilder()
        .setView(definition.name())
        .setWindowStart(Instant.ofEpochMilli(key.windowStart()))
        .setWindowEnd(Instant.ofEpochMilli(key.windowEnd()))
        .setDims(dims(key))
        .setRecords(records)
        .setMetrics(metrics)
        .build();
  }

  /**
   * The group key of a {@link ViewKey} or {@link ViewAggregate}, given as either the specific class
   * or a generic record with the same fields.
   *
   * @throws ViewDefinitionException when the view or dimension names differ from the definition
   */
  public GroupKey keyOf(GenericRecord keyOrAggregate) {
    checkView(keyOrAggregate);
    List<?> dims = (List<?>) keyOrAggregate.get("dims");
    List<String> values = new ArrayList<>();
    for (int i = 0; i < dims.size(); i++) {
      GenericRecord dim = (GenericRecord) dims.get(i);
      String name = String.valueOf(dim.get("name"));
      if (i >= definition.dimensions().size() || !definition.dimensions().get(i).equals(name)) {
        throw mismatch("dimension #" + (i + 1) + " is '" + name + "'");
      }
      Object value = dim.get("value");
      values.add(value == null ? null : value.toString());
    }
    if (values.size() != definition.dimensions().size()) {
      throw mismatch("has " + values.size() + " dimensions");
    }
    return new GroupKey(
        millis(keyOrAggregate.get("window_start")),
        millis(keyOrAggregate.get("window_end")),
        values);
  }

  /**
   * The aggregate of a {@link ViewAggregate} (specific or generic record).
   *
   * @throws ViewDefinitionException when the view, a metric name or type differs from the
   *     definition, or a state cannot be decoded
   */
  public Aggregate fromAvro(GenericRecord row) {
    checkView(row);
    List<?> metrics = (List<?>) row.get("metrics");
    if (metrics.size() != definition.metrics().size()) {
      throw mismatch("has " + metrics.size() + " metrics");
    }
    MetricState[] states = new MetricState[metrics.size()];
    for (int i = 0; i < states.length; i++) {
      GenericRecord metric = (GenericRecord) metrics.get(i);
      MetricSpec spec = definition.metrics().get(i);
      String name = String.valueOf(metric.get("name"));
      String type = String.valueOf(metric.get("type"));
      if (!spec.name().equals(name) || !spec.type().id().equals(type)) {
        throw mismatch("metric #" + (i + 1) + " is '" + name + "' of type " + type);
      }
      ByteBuffer state = ((ByteBuffer) metric.get("state")).duplicate();
      byte[] bytes = new byte[state.remaining()];
      state.get(bytes);
      states[i] = decode(spec, bytes);
    }
    return new Aggregate(definition, (Long) row.get("records"), states);
  }

  /** Compact binary form for state stores: format, record count, then each metric's state. */
  public byte[] toBytes(Aggregate aggregate) {
    folder.checkSameMetrics(aggregate);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeByte(BYTES_FORMAT);
      out.writeLong(aggregate.records());
      out.writeShort(definition.metrics().size());
      for (int i = 0; i < definition.metrics().size(); i++) {
        byte[] state = aggregate.stateAt(i).toBytes();
        out.writeUTF(definition.metrics().get(i).name());
        out.writeInt(state.length);
        out.write(state);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  /**
   * Reads {@link #toBytes} output.
   *
   * @throws ViewDefinitionException when the bytes hold other metrics or cannot be decoded
   */
  public Aggregate fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      long records = readHeader(in);
      MetricState[] states = new MetricState[definition.metrics().size()];
      for (int i = 0; i < states.length; i++) {
        states[i] = decode(definition.metrics().get(i), readState(in, i));
      }
      return new Aggregate(definition, records, states);
    } catch (IOException e) {
      throw mismatch("stored aggregate is truncated (" + bytes.length + " bytes)");
    }
  }

  /** Reads format, record count and metric count of {@link #toBytes} output; the record count. */
  private long readHeader(DataInputStream in) throws IOException {
    if (in.readByte() != BYTES_FORMAT) {
      throw mismatch("stored aggregate has an unknown format");
    }
    long records = in.readLong();
    int count = in.readShort();
    if (count != definition.metrics().size()) {
      throw mismatch("stored aggregate has " + count + " metrics");
    }
    return records;
  }

  /** Reads the state bytes of metric {@code index}, checking its name. */
  private byte[] readState(DataInputStream in, int index) throws IOException {
    String name = in.readUTF();
    if (!name.equals(definition.metrics().get(index).name())) {
      throw mismatch("stored metric #" + (index + 1) + " is '" + name + "'");
    }
    return in.readNBytes(in.readInt());
  }

  private MetricState decode(MetricSpec spec, byte[] bytes) {
    try {
      return spec.type().fromBytes(spec, bytes);
    } catch (RuntimeException e) {
      throw new ViewDefinitionException(
          "view '"
              + definition.name()
              + "': metric '"
              + spec.name()
              + "': cannot decode its "
              + spec.type().id()
              + " state: "
              + e.getMessage(),
          e);
    }
  }

  private List<ViewDimension> dims(GroupKey key) {
    if (key.dimensions().size() != definition.dimensions().size()) {
      throw mismatch("key " + key + " has " + key.dimensions().size() + " dimension values");
    }
    List<ViewDimension> dims = new ArrayList<>();
    for (int i = 0; i < key.dimensions().size(); i++) {
      dims.add(new ViewDimension(definition.dimensions().get(i), key.dimensions().get(i)));
    }
    return dims;
  }

  private void checkView(GenericRecord record) {
    String view = String.valueOf(record.get("view"));
    if (!definition.name().equals(view)) {
      throw mismatch("record is of view '" + view + "'");
    }
  }

  private static long millis(Object time) {
    return time instanceof Instant instant ? instant.toEpochMilli() : (Long) time;
  }

  private ViewDefinitionException mismatch(String what) {
    return new ViewDefinitionException(
        "view '" + definition.name() + "': " + what + ", which does not match its definition");
  }
}
