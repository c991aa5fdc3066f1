package io.oxbow.stream.serde;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.registry.serde.AvroBinaryWriter;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Writes an {@link AccessLogEvent} as Avro binary, field by field, straight into an {@link
 * AvroBinaryWriter}: the bytes Avro's {@code SpecificDatumWriter} writes for the schema this
 * encoder was written for, {@link #SHAPE}, and no other. Before using it, check the schema to write
 * with against {@link #SHAPE} ({@link RecordShape#mismatch}); {@link AccessLogEventSerializer}
 * does.
 *
 * <p>A null in a field that is not nullable (client, client_kind, event_time, extra_fields or one
 * of its items, format) throws a {@link SerializationException} naming the field, where Avro throws
 * a {@code NullPointerException}.
 */
final class AccessLogEventEncoder {
  /** The schema this encoder writes, field by field in the order {@link #encode} writes them. */
  static final RecordShape SHAPE =
      new RecordShape(
          "io.oxbow.contracts.avro.AccessLogEvent",
          List.of(
              "client: string",
              "client_kind: enum io.oxbow.contracts.avro.ClientKind[IPV4, IPV6, HOSTNAME]",
              "ident: [null, string]",
              "user: [null, string]",
              "event_time: long (timestamp-millis)",
              "utc_offset_seconds: int",
              "request: [null, string]",
              "request_valid: boolean",
              "method: [null, string]",
              "path: [null, string]",
              "query: [null, string]",
              "protocol: [null, string]",
              "status: int",
              "bytes: [null, long]",
              "referrer: [null, string]",
              "user_agent: [null, string]",
              "vhost: [null, string]",
              "server_port: [null, int]",
              "duration_micros: [null, long]",
              "forwarded_for: [null, string]",
              "extra_fields: array<string>",
              "format: string",
              "line_bytes: int",
              "source: [null, string]",
              "country: [null, string]",
              "ua_browser: [null, string]",
              "ua_os: [null, string]",
              "ua_device: [null, string]",
              "is_bot: boolean"));

  private AccessLogEventEncoder() {}

  /** Appends the event's Avro binary encoding (without a wire-format header) to {@code out}. */
  static void encode(AccessLogEvent e, AvroBinaryWriter out) {
    out.writeString(required(e.getClient(), "client"));
    out.writeEnum(required(e.getClientKind(), "client_kind").ordinal());
    nullable(out, e.getIdent());
    nullable(out, e.getUser());
    out.writeLong(required(e.getEventTime(), "event_time").toEpochMilli());
    out.writeInt(e.getUtcOffsetSeconds());
    nullable(out, e.getRequest());
    out.writeBoolean(e.getRequestValid());
    nullable(out, e.getMethod());
    nullable(out, e.getPath());
    nullable(out, e.getQuery());
    nullable(out, e.getProtocol());
    out.writeInt(e.getStatus());
    nullable(out, e.getBytes());
    nullable(out, e.getReferrer());
    nullable(out, e.getUserAgent());
    nullable(out, e.getVhost());
    nullable(out, e.getServerPort());
    nullable(out, e.getDurationMicros());
    nullable(out, e.getForwardedFor());
    strings(out, required(e.getExtraFields(), "extra_fields"));
    out.writeString(required(e.getFormat(), "format"));
    out.writeInt(e.getLineBytes());
    nullable(out, e.getSource());
    nullable(out, e.getCountry());
    nullable(out, e.getUaBrowser());
    nullable(out, e.getUaOs());
    nullable(out, e.getUaDevice());
    out.writeBoolean(e.getIsBot());
  }

  // ["null", T]: branch 0 for null, else branch 1 and the value

  private static void nullable(AvroBinaryWriter out, String value) {
    if (value == null) {
      out.writeUnionIndex(0);
    } else {
      out.writeUnionIndex(1);
      out.writeString(value);
    }
  }

  private static void nullable(AvroBinaryWriter out, Long value) {
    if (value == null) {
      out.writeUnionIndex(0);
    } else {
      out.writeUnionIndex(1);
      out.writeLong(value);
    }
  }

  private static void nullable(AvroBinaryWriter out, Integer value) {
    if (value == null) {
      out.writeUnionIndex(0);
    } else {
      out.writeUnionIndex(1);
      out.writeInt(value);
    }
  }

  private static void strings(AvroBinaryWriter out, List<String> values) {
    int size = values.size();
    out.writeBlockCount(size);
    for (int i = 0; i < size; i++) {
      out.writeString(required(values.get(i), "extra_fields[" + i + "]"));
    }
    out.writeBlocksEnd();
  }

  private static <T> T required(T value, String field) {
    if (value == null) {
      throw new SerializationException(
          "cannot write an AccessLogEvent: field " + field + " is null and not nullable");
    }
    return value;
  }
}
