package io.oxbow.accesslog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.oxbow.contracts.avro.AccessLogEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Writes an {@link AccessLogEvent} as one JSON object whose keys are the Avro field names, in
 * schema order; timestamps as UTC epoch milliseconds, enums by symbol.
 */
final class EventJson {

  private static final List<Schema.Field> FIELDS = AccessLogEvent.getClassSchema().getFields();
  private static final SerializedString[] NAMES =
      FIELDS.stream().map(f -> new SerializedString(f.name())).toArray(SerializedString[]::new);

  private EventJson() {}

  static void write(JsonGenerator g, AccessLogEvent event) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < NAMES.length; i++) {
      g.writeFieldName(NAMES[i]);
      writeValue(g, event.get(FIELDS.get(i).pos()));
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof CharSequence s) {
      g.writeString(s.toString());
    } else if (v instanceof Integer n) {
      g.writeNumber(n);
    } else if (v instanceof Long n) {
      g.writeNumber(n);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Instant t) {
      g.writeNumber(t.toEpochMilli());
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeString(v.toString());
    }
  }
}
