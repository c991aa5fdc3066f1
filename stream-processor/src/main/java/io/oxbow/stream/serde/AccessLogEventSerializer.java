package io.oxbow.stream.serde;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.registry.serde.AvroBinaryWriter;
import io.oxbow.registry.serde.AvroSerializer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializer of {@code access-logs.enriched} values: the same bytes as the registry's {@link
 * AvroSerializer} (Confluent wire format, the same subject and schema id, resolved by that
 * serializer), written by the hand-written {@link AccessLogEventEncoder} into a per-thread buffer
 * instead of by Avro's generic writer.
 *
 * <p>The encoder is used only while both the generated class's schema and the schema the registry
 * serializer writes with (the class's, or the subject's latest under {@code use.latest.version})
 * have the shape it was written for. Otherwise every value goes through the registry serializer,
 * and a WARN says which field differs: once when the serializer is built (the generated class) and
 * once per topic (the registry's schema). A {@code null} value is a Kafka {@code null}.
 */
public final class AccessLogEventSerializer implements Serializer<AccessLogEvent> {
  private static final Logger log = LoggerFactory.getLogger(AccessLogEventSerializer.class);
  private static final int MAX_KEPT_BUFFER = 1 << 20;
  private static final ThreadLocal<AvroBinaryWriter> BUFFERS =
      ThreadLocal.withInitial(() -> new AvroBinaryWriter(1024));

  private final AvroSerializer general;
  private final Schema classSchema;
  private final String classMismatch;
  // the last topic and how to write to it: an app writes the events to one topic
  private volatile Target last;

  private record Target(String topic, int schemaId, boolean direct) {}

  /**
   * A serializer that writes through {@code general} (configured, specific records) whenever the
   * encoder does not fit, and takes the schema id from it.
   */
  public AccessLogEventSerializer(AvroSerializer general) {
    this(general, AccessLogEvent.getClassSchema());
  }

  /** As above, checking the encoder against {@code classSchema} (a test's changed schema). */
  AccessLogEventSerializer(AvroSerializer general, Schema classSchema) {
    this.general = general;
    this.classSchema = classSchema;
    this.classMismatch = AccessLogEventEncoder.SHAPE.mismatch(classSchema);
    if (classMismatch != null) {
      log.warn(
          "AccessLogEvent's schema is not the one its hand-written encoder was written for ({});"
              + " events are written by the general Avro serializer, which is slower",
          classMismatch);
    }
  }

  /** Whether values of {@code topic} are written by the hand-written encoder. */
  public boolean writesDirectly(String topic) {
    return target(topic).direct;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    general.configure(configs, isKey);
    last = null;
  }

  @Override
  public byte[] serialize(String topic, AccessLogEvent event) {
    if (event == null) {
      return null;
    }
    Target target = target(topic);
    if (!target.direct) {
      return general.serialize(topic, event);
    }
    AvroBinaryWriter out = BUFFERS.get();
    out.reset();
    out.writeWireHeader(target.schemaId);
    try {
      AccessLogEventEncoder.encode(event, out);
    } catch (SerializationException e) {
      throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
    }
    byte[] bytes = out.toByteArray();
    if (out.capacity() > MAX_KEPT_BUFFER) {
      BUFFERS.remove(); // a rare large value does not pin its buffer to the thread
    }
    return bytes;
  }

  @Override
  public byte[] serialize(String topic, Headers headers, AccessLogEvent event) {
    return serialize(topic, event);
  }

  private Target target(String topic) {
    Target target = last;
    if (target != null && target.topic.equals(topic)) {
      return target;
    }
    AvroSerializer.WriteTarget written = general.writeTarget(topic, classSchema);
    boolean direct = classMismatch == null;
    if (direct && written.writerSchema() != classSchema) {
      String mismatch = AccessLogEventEncoder.SHAPE.mismatch(written.writerSchema());
      if (mismatch != null) {
        log.warn(
            "topic {}: the registry's schema (id {}) is not the one AccessLogEvent's hand-written"
                + " encoder was written for ({}); events are written by the general Avro"
                + " serializer, which is slower",
            topic,
            written.schemaId(),
            mismatch);
        direct = false;
      }
    }
    target = new Target(topic, written.schemaId(), direct);
    last = target;
    return target;
  }

  @Override
  public void close() {
    general.close();
  }
}
