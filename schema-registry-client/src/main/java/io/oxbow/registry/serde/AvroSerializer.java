package io.oxbow.registry.serde;

import io.oxbow.registry.client.SchemaRegistryClient;
import io.oxbow.registry.client.SchemaRegistryClients;
import io.oxbow.registry.client.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer of Avro values in Confluent's wire format: magic byte 0, the 4-byte schema id,
 * the Avro binary datum ({@code "bytes"} written raw). Accepts generic and specific records and the
 * primitives null, Boolean, Integer, Long, Float, Double, CharSequence, byte[] and ByteBuffer. A
 * {@code null} value becomes a Kafka {@code null} (tombstone) without calling the registry.
 *
 * <p>The schema id comes from registering the schema ({@code auto.register.schemas=true}, the
 * default), else from the subject's latest version ({@code use.latest.version=true}, which also
 * writes with that schema), else from looking the schema up. The subject follows {@code
 * key.subject.name.strategy} / {@code value.subject.name.strategy}. See {@link AvroSerdeConfig}.
 * Failures throw {@link SerializationException} naming the topic and subject.
 */
public final class AvroSerializer implements Serializer<Object> {
  private SchemaRegistryClient client;
  private boolean ownsClient;
  private AvroSerdeConfig config;
  private boolean isKey;
  private final AvroDatum datum = new AvroDatum();
  private final Map<String, Map<Schema, Integer>> ids = new ConcurrentHashMap<>();
  private final Map<String, Schema> latestSchemas = new ConcurrentHashMap<>();
  // the last topic and schema written and what they resolved to: a serializer mostly writes one
  // schema to one topic, and resolving builds the subject name and looks it up every time
  private volatile Resolved last;
  private static final int MAX_KEPT_BUFFER = 1 << 20;
  private static final ThreadLocal<ByteArrayOutputStream> BUFFERS =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(1024));

  private record Resolved(String topic, Schema schema, Schema writeWith, int id) {}

  /** A serializer that creates its registry client in {@link #configure}. */
  public AvroSerializer() {}

  /** A serializer using the given client ({@code schema.registry.url} is then not needed). */
  public AvroSerializer(SchemaRegistryClient client) {
    this.client = client;
  }

  /** A serializer using the given client, configured at once. */
  public AvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
    this(client);
    configure(configs, isKey);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.config = AvroSerdeConfig.from(configs, isKey);
    if (client == null) {
      client = SchemaRegistryClients.create(configs);
      ownsClient = true;
    }
  }

  @Override
  public byte[] serialize(String topic, Object data) {
    if (data == null) {
      return null;
    }
    if (config == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    Schema schema;
    try {
      schema = AvroDatum.schemaOf(data);
    } catch (IllegalArgumentException e) {
      throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
    }
    Resolved resolved = resolved(topic, schema);
    try {
      ByteArrayOutputStream out = BUFFERS.get();
      out.reset();
      out.write(WireFormat.header(resolved.id));
      datum.write(resolved.writeWith, data, out);
      byte[] bytes = out.toByteArray();
      if (bytes.length > MAX_KEPT_BUFFER) {
        BUFFERS.remove(); // a rare large value does not pin its buffer to the thread
      }
      return bytes;
    } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
      throw new SerializationException(
          "topic " + topic + ": cannot write a " + schema.getFullName() + " as Avro: " + e, e);
    }
  }

  /**
   * What {@link #serialize} writes a value of {@code schema} to {@code topic} with: the schema id
   * of the header and the schema the datum is encoded with ({@code schema} itself, or the subject's
   * latest version under {@code use.latest.version}). Registers or looks the schema up as {@code
   * serialize} does, and caches the answer the same way. A hand-written encoder of one record type
   * uses it to frame its bytes exactly as this serializer would.
   *
   * @throws SerializationException when the subject cannot be named or the registry refuses it
   */
  public WriteTarget writeTarget(String topic, Schema schema) {
    if (config == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    Resolved resolved = resolved(topic, schema);
    return new WriteTarget(resolved.id, resolved.writeWith);
  }

  /**
   * The schema id and the schema a value is encoded with; see {@link #writeTarget}.
   *
   * @param schemaId the id written in the wire-format header
   * @param writerSchema the schema the Avro datum is encoded with
   */
  public record WriteTarget(int schemaId, Schema writerSchema) {}

  private Resolved resolved(String topic, Schema schema) {
    Resolved resolved = last;
    if (resolved == null || resolved.schema != schema || !resolved.topic.equals(topic)) {
      resolved = resolve(topic, schema);
      last = resolved;
    }
    return resolved;
  }

  /** The subject, schema to write with and schema id of {@code schema} on {@code topic}. */
  private Resolved resolve(String topic, Schema schema) {
    String subject;
    try {
      subject = config.strategy().subject(topic, isKey, schema);
    } catch (IllegalArgumentException e) {
      throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
    }
    try {
      if (!config.autoRegister() && config.useLatestVersion()) {
        Schema writeWith = latestSchemas.computeIfAbsent(subject, s -> fetchLatest(s));
        return new Resolved(topic, schema, writeWith, idOf(subject, writeWith));
      }
      return new Resolved(topic, schema, schema, idOf(subject, schema));
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "topic " + topic + ": schema registry refused subject " + subject + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public byte[] serialize(String topic, Headers headers, Object data) {
    return serialize(topic, data);
  }

  private Schema fetchLatest(String subject) {
    return new Schema.Parser().parse(client.latest(subject).schema());
  }

  private int idOf(String subject, Schema schema) {
    Map<Schema, Integer> perSubject = ids.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = perSubject.get(schema);
    if (cached != null) {
      return cached;
    }
    int id =
        config.autoRegister()
            ? client.register(subject, schema)
            : client.lookup(subject, schema).id();
    perSubject.put(schema, id);
    return id;
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
