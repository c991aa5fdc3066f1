package io.oxbow.stream.serde;

import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.WireFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deserializer of {@code access-logs.raw} values: the same {@link RawLogLine} as the registry's
 * {@link AvroDeserializer} (which it asks for the writer schema of each schema id), read by the
 * hand-written {@link RawLogLineDecoder} instead of Avro's generic reader.
 *
 * <p>The decoder reads only values whose writer schema (by the id in their header) has the shape it
 * was written for, and only while the generated class has it too. Any other value (an older or
 * newer version of the contract, which Avro resolves against the generated class; a schema id in a
 * Kafka header) goes through the registry deserializer; a WARN says which field differs, once when
 * the deserializer is built (the generated class) and once per schema id. Errors are the registry
 * deserializer's: a {@link SerializationException} naming the topic.
 */
public final class RawLogLineDeserializer implements Deserializer<RawLogLine> {
  private static final Logger log = LoggerFactory.getLogger(RawLogLineDeserializer.class);

  private final AvroDeserializer general;
  private final boolean classFits;
  private final Map<Integer, Boolean> directIds = new ConcurrentHashMap<>();

  /**
   * A deserializer falling back to {@code general} (specific records) and asking it for schemas.
   */
  public RawLogLineDeserializer(AvroDeserializer general) {
    this(general, RawLogLine.getClassSchema());
  }

  /** As above, checking the decoder against {@code classSchema} (a test's changed schema). */
  RawLogLineDeserializer(AvroDeserializer general, Schema classSchema) {
    this.general = general;
    String mismatch = RawLogLineDecoder.SHAPE.mismatch(classSchema);
    this.classFits = mismatch == null;
    if (!classFits) {
      log.warn(
          "RawLogLine's schema is not the one its hand-written decoder was written for ({}); raw"
              + " lines are read by the general Avro deserializer, which is slower",
          mismatch);
    }
  }

  /** Whether values written with {@code schemaId} are read by the hand-written decoder. */
  public boolean readsDirectly(String topic, int schemaId) {
    Boolean direct = directIds.get(schemaId);
    if (direct == null) {
      direct = classFits && fits(topic, schemaId);
      directIds.put(schemaId, direct);
    }
    return direct;
  }

  private boolean fits(String topic, int schemaId) {
    String mismatch = RawLogLineDecoder.SHAPE.mismatch(general.writerSchema(topic, schemaId));
    if (mismatch != null) {
      log.warn(
          "topic {}: schema id {} is not the RawLogLine schema the hand-written decoder was written"
              + " for ({}); its values are read by the general Avro deserializer",
          topic,
          schemaId,
          mismatch);
    }
    return mismatch == null;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    general.configure(configs, isKey);
    directIds.clear();
  }

  @Override
  public RawLogLine deserialize(String topic, byte[] data) {
    return deserialize(topic, null, data);
  }

  @Override
  public RawLogLine deserialize(String topic, Headers headers, byte[] data) {
    if (data == null) {
      return null;
    }
    if ((headers != null && headers.lastHeader(AvroDeserializer.VALUE_SCHEMA_ID_HEADER) != null)
        || data.length < WireFormat.HEADER_SIZE
        || data[0] != WireFormat.MAGIC
        || !readsDirectly(topic, WireFormat.schemaId(topic, false, data))) {
      return (RawLogLine) general.deserialize(topic, headers, data);
    }
    try {
      return RawLogLineDecoder.decode(
          data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE);
    } catch (SerializationException e) {
      throw new SerializationException(
          "topic "
              + topic
              + ": value does not decode as Avro "
              + RawLogLine.getClassSchema().getFullName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    general.close();
  }
}
