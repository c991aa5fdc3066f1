package io.oxbow.serving.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes result rows as JSON objects {@code {"window_start", "dims", "metrics"}}: a row rendered
 * ahead ({@link RowData#json()}) is copied as it is, any other is written field by field. One
 * instance per document (it remembers the text of the window starts it wrote).
 */
final class RowJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<Long, String> starts = new HashMap<>();

  /** The JSON object of {@code row}, ready to be copied into documents. */
  static SerializableString render(RowData row) {
    StringWriter text = new StringWriter(256);
    try (JsonGenerator json = JSON.getFactory().createGenerator(text)) {
      new RowJson().writeFields(json, row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SerializedString(text.toString());
  }

  /** Writes {@code row} as the next value of {@code json}. */
  void write(JsonGenerator json, RowData row) throws IOException {
    if (row.json() != null) {
      json.writeRawValue(row.json());
    } else {
      writeFields(json, row);
    }
  }

  private void writeFields(JsonGenerator json, RowData row) throws IOException {
    json.writeStartObject();
    json.writeStringField(
        "window_start",
        starts.computeIfAbsent(row.key().windowStart(), s -> Instant.ofEpochMilli(s).toString()));
    json.writeObjectFieldStart("dims");
    for (Map.Entry<String, String> dim : row.dims().entrySet()) {
      json.writeStringField(dim.getKey(), dim.getValue());
    }
    json.writeEndObject();
    json.writeObjectFieldStart("metrics");
    for (var metric : row.metrics().entrySet()) {
      json.writeFieldName(metric.getKey());
      MetricJson.write(json, metric.getValue());
    }
    json.writeEndObject();
    json.writeEndObject();
  }
}
