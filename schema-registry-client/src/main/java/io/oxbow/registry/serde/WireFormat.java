package io.oxbow.registry.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte {@code 0}, the schema id as a signed 32-bit big-endian
 * integer, then the Avro binary payload.
 */
public final class WireFormat {
  /** The magic byte of the format. */
  public static final byte MAGIC = 0;

  /** Bytes before the payload. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The header bytes for a schema id. */
  public static byte[] header(int schemaId) {
    return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).putInt(schemaId).array();
  }

  /**
   * The schema id of a framed record.
   *
   * @param topic the topic, for the error message
   * @param isKey whether the bytes are a key, for the error message
   * @throws SerializationException when the record is shorter than 5 bytes or its magic byte is not
   *     0 (1 is Confluent 8's schema GUID form, which Oxbow does not read)
   */
  public static int schemaId(String topic, boolean isKey, byte[] data) {
    String what = isKey ? "key" : "value";
    if (data.length < HEADER_SIZE) {
      throw new SerializationException(
          "topic "
              + topic
              + ": "
              + what
              + " of "
              + data.length
              + " bytes is too short for the schema registry wire format (magic byte and 4-byte"
              + " schema id)");
    }
    if (data[0] != MAGIC) {
      String hint =
          data[0] == 1
              ? " (1 is the schema GUID form of Confluent 8.x, which is not supported)"
              : " (not written by a schema registry serializer?)";
      throw new SerializationException(
          "topic " + topic + ": " + what + " has unknown magic byte " + data[0] + hint);
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
