package io.oxbow.stream.serde;

import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.registry.serde.AvroBinaryReader;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * Reads a {@link RawLogLine} from Avro binary, field by field, straight from the record's bytes:
 * the value Avro's {@code SpecificDatumReader} reads when the writer's schema is {@link #SHAPE},
 * and for no other writer schema. Check the writer schema first ({@link RecordShape#mismatch});
 * {@link RawLogLineDeserializer} does. Malformed input throws the reader's {@code
 * SerializationException}.
 */
final class RawLogLineDecoder {
  /** The writer schema this decoder reads, field by field in order. */
  static final RecordShape SHAPE =
      new RecordShape(
          "io.oxbow.contracts.avro.RawLogLine",
          List.of(
              "line: bytes",
              "source: string",
              "received_time: long (timestamp-millis)",
              "ingest_id: string",
              "sequence: int"));

  private RawLogLineDecoder() {}

  /** The line in {@code data[offset, offset + length)}, an Avro datum without a header. */
  static RawLogLine decode(byte[] data, int offset, int length) {
    AvroBinaryReader in = new AvroBinaryReader(data, offset, length);
    ByteBuffer line = ByteBuffer.wrap(in.readBytes());
    String source = in.readString();
    Instant received = Instant.ofEpochMilli(in.readLong());
    String ingestId = in.readString();
    int sequence = in.readInt();
    return new RawLogLine(line, source, received, ingestId, sequence);
  }
}
