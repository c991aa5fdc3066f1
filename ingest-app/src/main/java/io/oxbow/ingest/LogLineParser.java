package io.oxbow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.runtime.http.ApiException;
import io.oxbow.runtime.http.ApiException.FieldError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Splits a {@code POST /v1/logs} body into log lines and hands each to a {@link Sink} as it goes,
 * so no second list of all lines is built.
 *
 * <ul>
 *   <li>{@code text/plain}: one line per {@code \n} (a trailing {@code \r} is dropped), bytes kept
 *       as sent (not necessarily UTF-8); empty lines carry nothing and are skipped;
 *   <li>{@code application/x-ndjson}: one JSON object per line, {@code {"line": "...", "source":
 *       "..."}} with {@code line} required and {@code source} overriding the request's source.
 * </ul>
 *
 * <p>Limits first: {@link #countLines(byte[])} is a byte scan the caller checks against {@code
 * ingest.max-lines} before any line is parsed. A line longer than the limit fails the whole request
 * with 413 naming the line (1-based); bad NDJSON fails it with 400 listing the first bad lines and
 * counting all. A source must be at most {@code maxSourceChars} characters without control
 * characters. Parsing of the log format itself happens downstream: any text is a valid line here.
 */
final class LogLineParser {
  /** Receives each line: its bytes are {@code bytes[from, to)}. */
  interface Sink {
    void line(byte[] bytes, int from, int to, String source);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final long maxLineBytes;
  private final int maxSourceChars;
  private final int maxErrorsListed;

  LogLineParser(long maxLineBytes, IngestLimits limits) {
    this.maxLineBytes = maxLineBytes;
    this.maxSourceChars = limits.maxSourceChars();
    this.maxErrorsListed = limits.maxErrorsListed();
  }

  /** Lines of a body, empty ones included (a last line without {@code \n} counts too). */
  static int countLines(byte[] body) {
    int lines = 0;
    for (byte b : body) {
      if (b == '\n') {
        lines++;
      }
    }
    return body.length > 0 && body[body.length - 1] != '\n' ? lines + 1 : lines;
  }

  /**
   * Why a source is refused, or null when it is fine: at most {@code maxSourceChars} characters,
   * none of them a control character.
   */
  String sourceProblem(String source) {
    if (source.length() > maxSourceChars) {
      return "longer than " + maxSourceChars + " characters (ingest.max-source-chars)";
    }
    for (int i = 0; i < source.length(); i++) {
      if (Character.isISOControl(source.charAt(i))) {
        return "must not contain control characters";
      }
    }
    return null;
  }

  void plain(byte[] body, String source, Sink sink) {
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
        sink.line(body, start, stop, source);
      }
      start = next;
    }
  }

  void ndjson(byte[] body, String defaultSource, Sink sink) {
    FieldErrors errors = new FieldErrors(maxErrorsListed);
    int lineNumber = 0;
    int start = 0;
    while (start < body.length) {
      int end = indexOf(body, (byte) '\n', start);
      int stop = end < 0 ? body.length : end;
      lineNumber++;
      String text = new String(body, start, stop - start, StandardCharsets.UTF_8).strip();
      start = end < 0 ? body.length : end + 1;
      if (!text.isEmpty()) {
        ndjsonLine(lineNumber, text, defaultSource, errors, sink);
      }
    }
    if (!errors.isEmpty()) {
      throw errors.badRequest("NDJSON line(s) are invalid");
    }
  }

  private void ndjsonLine(
      int lineNumber, String text, String defaultSource, FieldErrors errors, Sink sink) {
    int index = lineNumber - 1;
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (IOException e) {
      errors.add(index, "", "line " + lineNumber + " is not valid JSON");
      return;
    }
    if (node == null || !node.isObject()) {
      errors.add(index, "", "line " + lineNumber + " is not a JSON object");
      return;
    }
    JsonNode line = node.get("line");
    JsonNode source = node.get("source");
    if (line == null || !line.isTextual()) {
      errors.add(index, "line", "required, a string");
      return;
    }
    if (source != null && !source.isNull() && !source.isTextual()) {
      errors.add(index, "source", "must be a string");
      return;
    }
    String lineSource = defaultSource;
    if (source != null && !source.isNull() && !source.textValue().isBlank()) {
      lineSource = source.textValue();
      String problem = sourceProblem(lineSource);
      if (problem != null) {
        errors.add(index, "source", problem);
        return;
      }
    }
    byte[] bytes = line.textValue().getBytes(StandardCharsets.UTF_8);
    checkLength(lineNumber, bytes.length);
    if (errors.isEmpty()) {
      sink.line(bytes, 0, bytes.length, lineSource);
    }
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
          Map.of());
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
