package io.oxbow.ingest;

import io.oxbow.contracts.avro.Order;
import io.oxbow.runtime.http.security.Permission;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@code POST /v1/events/orders}: each validated order becomes an {@link Order} on the orders
 * topic, keyed by its client IP (so it co-partitions with page views for the attribution join).
 */
final class OrderRecords implements RecordMaker {
  /**
   * Heap one kept order holds besides its share of the body: the parsed tree's objects, the {@link
   * Order} and its fields, the ProducerRecord and the Avro copy's fixed part.
   */
  static final int BYTES_PER_ORDER = 640;

  /** Heap one JSON value of the parsed tree holds (node, map entry, boxed text). */
  static final int BYTES_PER_JSON_VALUE = 96;

  private final String topic;
  private final Serializer<Order> serializer;
  private final OrderParser parser;

  OrderRecords(String topic, Serializer<Order> serializer, IngestLimits limits) {
    this.topic = topic;
    this.serializer = serializer;
    this.parser = new OrderParser(limits);
  }

  @Override
  public String name() {
    return "orders";
  }

  @Override
  public Permission permission() {
    return Permission.ORDERS;
  }

  @Override
  public Set<String> mediaTypes() {
    return Set.of("application/json");
  }

  @Override
  public long heapBytes(byte[] body, String mediaType, String sourceHeader) {
    OrderParser.Shape shape = parser.scan(body);
    return (long) shape.orders() * BYTES_PER_ORDER + (long) shape.values() * BYTES_PER_JSON_VALUE;
  }

  @Override
  public List<ProducerRecord<byte[], byte[]>> records(
      byte[] body, String mediaType, String sourceHeader, String ingestId) {
    List<Order> orders = parser.parse(body);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(orders.size());
    for (Order order : orders) {
      records.add(
          new ProducerRecord<>(
              topic,
              order.getClientIp().getBytes(StandardCharsets.UTF_8),
              serializer.serialize(topic, order)));
    }
    return records;
  }
}
