package io.oxbow.registry.serde;

import io.oxbow.registry.client.SchemaRegistryClient;
import io.oxbow.registry.client.SchemaRegistryClients;
import io.oxbow.registry.client.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of Confluent wire-format Avro: reads the schema id, fetches the writer schema
 * (cached) and decodes. Returns a {@code GenericRecord}, the generated class of the writer schema's
 * full name when {@code specific.avro.reader=true}, a {@code String} for {@code "string"}, {@code
 * byte[]} for {@code "bytes"}, or the boxed primitive. A Kafka {@code null} stays {@code null}.
 *
 * <p>A schema id in the header {@code __value_schema_id} / {@code __key_schema_id} (Confluent 8.x,
 * payload without prefix) is read when it holds magic 0 and a 4-byte id; a GUID there is rejected.
 * Bad input throws {@link SerializationException} naming the topic (the Kafka consumer adds
 * partition and offset): fewer than 5 bytes, a magic byte other than 0, an unknown schema id, a
 * payload that does not decode.
 */
public final class AvroDeserializer implements Deserializer<Object> {
  private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

  /** Header holding a value's schema id (Confluent 8.x header form). */
  public static final String VALUE_SCHEMA_ID_HEADER = "__value_schema_id";

  /** Header holding a key's schema id (Confluent 8.x header form). */
  public static final String KEY_SCHEMA_ID_HEADER = "__key_schema_id";

  private SchemaRegistryClient client;
  private boolean ownsClient;
  private AvroSerdeConfig config;
  private boolean isKey;
  private final Schema readerSchema;
  private final Map<Integer, Schema> writerSchemas = new ConcurrentHashMap<>();
  private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

  /** A deserializer that creates its registry client in {@link #configure}. */
  public AvroDeserializer() {
    this(null, null);
  }

  /** A deserializer using the given client. */
  public AvroDeserializer(SchemaRegistryClient client) {
    this(client, null);
  }

  /**
   * A deserializer using the given client (or, when null, one from the configuration) that decodes
   * into the given reader schema (null: the writer's, or the generated class's).
   */
  public AvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
    this.client = client;
    this.readerSchema = readerSchema;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.config = AvroSerdeConfig.from(configs, isKey);
    if (config.specificReader()) {
      GeneratedClassTrust.install();
    }
    if (client == null) {
      client = SchemaRegistryClients.create(configs);
      ownsClient = true;
    }
  }

  @Override
  public Object deserialize(String topic, byte[] data) {
    return deserialize(topic, null, data);
  }

  @Override
  public Object deserialize(String topic, Headers headers, ByteBuffer data) {
    if (data == null) {
      return null;
    }
    ByteBuffer copy = data.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return deserialize(topic, headers, bytes);
  }

  @Override
  public Object deserialize(String topic, Headers headers, byte[] data) {
    if (data == null) {
      return null;
    }
    if (config == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    Header idHeader =
        headers == null
            ? null
            : headers.lastHeader(isKey ? KEY_SCHEMA_ID_HEADER : VALUE_SCHEMA_ID_HEADER);
    int id;
    int offset;
    if (idHeader != null) {
      id = headerId(topic, idHeader);
      offset = 0;
    } else {
      id = WireFormat.schemaId(topic, isKey, data);
      offset = WireFormat.HEADER_SIZE;
    }
    Schema writer = writerSchema(topic, id);
    if (writer.getType() == Schema.Type.BYTES) {
      return Arrays.copyOfRange(data, offset, data.length);
    }
    try {
      DatumReader<Object> reader = readers.computeIfAbsent(id, i -> readerFor(topic, writer));
      BinaryDecoder decoder =
          DecoderFactory.get().binaryDecoder(data, offset, data.length - offset, DECODERS.get());
      DECODERS.set(decoder);
      Object value = reader.read(null, decoder);
      return value instanceof Utf8 ? value.toString() : value;
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new SerializationException(
          "topic "
              + topic
              + ": "
              + (isKey ? "key" : "value")
              + " does not decode as Avro "
              + writer.getFullName()
              + " (schema id "
              + id
              + "): "
              + e,
          e);
    }
  }

  private int headerId(String topic, Header header) {
    byte[] v = header.value();
    if (v != null && v.length == WireFormat.HEADER_SIZE && v[0] == WireFormat.MAGIC) {
      return ByteBuffer.wrap(v, 1, 4).getInt();
    }
    throw new SerializationException(
        "topic "
            + topic
            + ": header "
            + header.key()
            + " does not hold magic byte 0 and a 4-byte schema id (schema GUIDs are not supported)");
  }

  /**
   * The writer schema of a schema id, fetched from the registry once and then cached. A
   * hand-written decoder of one record type uses it to check that a value was written with the
   * schema it reads.
   *
   * @param topic the topic, for the error message
   * @throws SerializationException when the registry does not know the id
   */
  public Schema writerSchema(String topic, int id) {
    if (config == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    Schema cached = writerSchemas.get(id);
    if (cached != null) {
      return cached;
    }
    try {
      Schema schema = client.schemaById(id);
      writerSchemas.put(id, schema);
      return schema;
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "topic "
              + topic
              + ": schema id "
              + id
              + " of the "
              + (isKey ? "key" : "value")
              + " is unknown to the schema registry: "
              + e.getMessage(),
          e);
    }
  }

  private DatumReader<Object> readerFor(String topic, Schema writer) {
    if (readerSchema != null) {
      return config.specificReader()
          ? new SpecificDatumReader<>(writer, readerSchema)
          : new GenericDatumReader<>(writer, readerSchema);
    }
    boolean named =
        writer.getType() == Schema.Type.RECORD
            || writer.getType() == Schema.Type.ENUM
            || writer.getType() == Schema.Type.FIXED;
    if (config.specificReader() && named) {
      SpecificData specific = new SpecificData(Thread.currentThread().getContextClassLoader());
      Class<?> generated = specific.getClass(writer);
      if (generated == null || generated == Object.class) {
        throw new SerializationException(
            "topic "
                + topic
                + ": specific.avro.reader=true but no generated class "
                + writer.getFullName()
                + " is on the class path");
      }
      SpecificData model = SpecificData.getForClass(generated);
      Schema reader = model.getSchema(generated);
      return new SpecificDatumReader<>(writer, reader, model);
    }
    return new GenericDatumReader<>(writer, writer);
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
