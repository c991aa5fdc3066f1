package io.oxbow.batch.landing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path of landing: turns a record value into an {@link LandingRow.Encoded} row when its
 * writer schema has a {@link BinaryPlan} and its bytes decode, so the row is written from the bytes
 * without a generic record. Returns null for anything else (no value, a value the decoder cannot
 * locate, a schema without a plan, bytes that do not decode, a null event time), which then takes
 * the general path: decoded, checked and, if bad, dead-lettered with the reason the general path
 * gives. Plans are cached per writer schema and event-time field; not thread-safe (the lander's
 * thread).
 */
final class BinaryRows {
  private static final Logger log = LoggerFactory.getLogger(BinaryRows.class);

  private final RecordDecoder decoder;
  private final Map<String, Map<Schema, Optional<BinaryPlan>>> plans = new HashMap<>();

  BinaryRows(RecordDecoder decoder) {
    this.decoder = decoder;
  }

  /** The encoded row of {@code record}'s value, or null when it takes the general path. */
  LandingRow.Encoded encode(ConsumerRecord<byte[], byte[]> record, String timeField) {
    byte[] value = record.value();
    if (value == null) {
      return null;
    }
    try {
      RecordDecoder.AvroBody body = decoder.locate(record.topic(), record.headers(), value);
      if (body == null) {
        return null;
      }
      BinaryPlan plan = plan(body.schema(), timeField);
      if (plan == null) {
        return null;
      }
      long eventTime = plan.scan(value, body.offset());
      return new LandingRow.Encoded(plan, value, body.offset(), eventTime);
    } catch (RuntimeException e) {
      // the general path decodes it again and says what is wrong
      return null;
    }
  }

  private BinaryPlan plan(Schema schema, String timeField) {
    Map<Schema, Optional<BinaryPlan>> bySchema =
        plans.computeIfAbsent(timeField, f -> new HashMap<>());
    Optional<BinaryPlan> plan = bySchema.get(schema);
    if (plan == null) {
      plan = compile(schema, timeField);
      bySchema.put(schema, plan);
    }
    return plan.orElse(null);
  }

  private static Optional<BinaryPlan> compile(Schema schema, String timeField) {
    Optional<BinaryPlan> plan;
    try {
      plan =
          BinaryPlan.compile(
              schema,
              new AvroSchemaConverter(ParquetFiles.configuration()).convert(schema),
              timeField);
    } catch (RuntimeException e) {
      plan = Optional.empty();
    }
    log.info(
        "records of schema {} land {}",
        schema.getFullName(),
        plan.isPresent() ? "from their bytes" : "through generic records");
    return plan;
  }
}
