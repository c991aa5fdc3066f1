package io.oxbow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.runtime.http.ApiException;
import io.oxbow.runtime.http.ApiException.FieldError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a {@code POST /v1/logs} body into log lines.
 *
 * <ul>
 *   <li>{@code text/plain}: one line per {@code \n} (a trailing {@code \r} is dropped), bytes kept
 *       as sent (not necessarily UTF-8); empty lines carry nothing and are skipped;
 *   <li>{@code application/x-ndjson}: one JSON object per line, {@code {"line": "...", "source":
 *       "..."}} with {@code line} required and {@code source} overriding the request's source.
 * </ul>
 *
 * <p>A line longer than the limit fails the whole request with 413 naming the line (1-based); bad
 * NDJSON fails it with 400 listing every bad line. Parsing of the log format itself happens
 * downstream: any text is a valid line here.
 */
final class LogLineParser {
  /** One line and the source it belongs to (the Kafka key). */
  record LogLine(byte[] line, String source) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final long maxLineBytes;

  LogLineParser(long maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  List<LogLine> plain(byte[] body, String source) {
    List<LogLine> lines = new ArrayList<>();
    int lineNumber = 0;
    int start = 0;
    while (start < body.length) {
      int end = indexOf(body, (byte) '\n', start);
      int next = end < 0 ? body.length : end + 1;
      int stop = end < 0 ? body.length : end;
      if (stop > start && body[stop - 1] == '\r') {
        stop--;
      }
      lineNumber++;
      checkLength(lineNumber, stop - start);
      if (stop > start) {
        lines.add(new LogLine(Arrays.copyOfRange(body, start, stop), source));
      }
      start = next;
    }
    return lines;
  }

  List<LogLine> ndjson(byte[] body, String defaultSource) {
    List<LogLine> lines = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    int lineNumber = 0;
    int start = 0;
    while (start < body.length) {
      int end = indexOf(body, (byte) '\n', start);
      int stop = end < 0 ? body.length : end;
      lineNumber++;
      String text = new String(body, start, stop - start, StandardCharsets.UTF_8).strip();
      start = end < 0 ? body.length : end + 1;
      if (text.isEmpty()) {
        continue;
      }
      int index = lineNumber - 1;
      JsonNode node;
      try {
        node = MAPPER.readTree(text);
      } catch (IOException e) {
        errors.add(new FieldError(index, "", "line " + lineNumber + " is not valid JSON"));
        continue;
      }
      if (node == null || !node.isObject()) {
        errors.add(new FieldError(index, "", "line " + lineNumber + " is not a JSON object"));
        continue;
      }
      JsonNode line = node.get("line");
      JsonNode source = node.get("source");
      if (line == null || !line.isTextual()) {
        errors.add(new FieldError(index, "line", "required, a string"));
        continue;
      }
      if (source != null && !source.isNull() && !source.isTextual()) {
        errors.add(new FieldError(index, "source", "must be a string"));
        continue;
      }
      byte[] bytes = line.textValue().getBytes(StandardCharsets.UTF_8);
      checkLength(lineNumber, bytes.length);
      String lineSource =
          source == null || source.isNull() || source.textValue().isBlank()
              ? defaultSource
              : source.textValue();
      lines.add(new LogLine(bytes, lineSource));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(
          errors.size() + " NDJSON line(s) are invalid; nothing was written", errors);
    }
    return lines;
  }

  private void checkLength(int lineNumber, int length) {
    if (length > maxLineBytes) {
      throw new ApiException(
          413,
          "line "
              + lineNumber
              + " is "
              + length
              + " bytes, over the limit of "
              + maxLineBytes
              + "; nothing was written",
          List.of(new FieldError(lineNumber - 1, "line", "longer than " + maxLineBytes + " bytes")),
          java.util.Map.of());
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
