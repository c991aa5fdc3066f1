package io.oxbow.accesslog;

import io.oxbow.contracts.avro.AccessLogEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one access-log line (raw bytes, not necessarily UTF-8) into an Avro {@link AccessLogEvent},
 * or a {@link ParseResult.Rejected} with a {@link RejectReason} and column.
 *
 * <p>Build one per format and share it: instances are immutable and thread-safe, and each call
 * allocates only the event and its Strings. Typical use, per Kafka record:
 *
 * <pre>{@code
 * AccessLogParser parser = AccessLogParser.forFormat(LogFormat.AUTO);
 * ParseResult result = parser.parse(record.value(), record.key());
 * if (result instanceof ParseResult.Parsed p) { ... p.event() ... }
 * }</pre>
 *
 * <p>A trailing {@code \n} or {@code \r\n} is ignored, as are trailing blanks. Defaults: lines
 * longer than 256 KiB are rejected as {@link RejectReason#TOO_LONG}. Nothing throws out of {@code
 * parse}: an unexpected internal error is reported as {@link RejectReason#INTERNAL_ERROR}.
 */
public final class AccessLogParser {

  /** Default longest accepted line, in bytes (256 KiB). */
  public static final int DEFAULT_MAX_LINE_BYTES = 256 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AccessLogParser.class);
  private static final List<Token> AUTO_VHOST = LogFormat.autoVhostTokens();

  private final LogFormat format;
  private final int maxLineBytes;
  private final boolean fastPath;

  private AccessLogParser(LogFormat format, int maxLineBytes, boolean fastPath) {
    this.format = format;
    this.maxLineBytes = maxLineBytes;
    this.fastPath = fastPath;
  }

  /** A parser for {@code format} with the default line limit (256 KiB). */
  public static AccessLogParser forFormat(LogFormat format) {
    return new AccessLogParser(format, DEFAULT_MAX_LINE_BYTES, true);
  }

  /**
   * A copy of this parser that reads every line with the general scanner, never with {@link
   * CombinedFastPath}: the reference the fast path is tested against.
   */
  AccessLogParser withoutFastPath() {
    return new AccessLogParser(format, maxLineBytes, false);
  }

  /** A copy of this parser that rejects lines longer than {@code maxLineBytes} (at least 64). */
  public AccessLogParser withMaxLineBytes(int maxLineBytes) {
    if (maxLineBytes < 64) {
      throw new IllegalArgumentException("maxLineBytes must be at least 64, was " + maxLineBytes);
    }
    return new AccessLogParser(format, maxLineBytes, fastPath);
  }

  /** The format this parser reads. */
  public LogFormat format() {
    return format;
  }

  /** The longest accepted line in bytes. */
  public int maxLineBytes() {
    return maxLineBytes;
  }

  /** Parses a whole array as one line; the event's {@code source} is null. */
  public ParseResult parse(byte[] line) {
    return parse(line, 0, line.length, null);
  }

  /** Parses a line given as text (encoded as UTF-8); for tests and tools. */
  public ParseResult parse(String line) {
    return parse(line.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses a whole array as one line and sets the event's {@code source} (may be null). */
  public ParseResult parse(byte[] line, String source) {
    return parse(line, 0, line.length, source);
  }

  /**
   * Parses the remaining bytes of {@code line} (for example an Avro {@code bytes} field) without
   * copying when the buffer has an accessible array; the buffer's position is not changed.
   */
  public ParseResult parse(ByteBuffer line, String source) {
    if (line.hasArray()) {
      return parse(line.array(), line.arrayOffset() + line.position(), line.remaining(), source);
    }
    byte[] copy = new byte[line.remaining()];
    line.duplicate().get(copy);
    return parse(copy, 0, copy.length, source);
  }

  /** Parses {@code buf[off, off + len)} as one line; the event's {@code source} is null. */
  public ParseResult parse(byte[] buf, int off, int len) {
    return parse(buf, off, len, null);
  }

  /**
   * Parses {@code buf[off, off + len)} as one line.
   *
   * @param source written to the event's {@code source} field (the raw record's key); may be null
   * @return the event, or the reason and 1-based column where parsing stopped; never null
   */
  public ParseResult parse(byte[] buf, int off, int len, String source) {
    try {
      return parseLine(buf, off, len, source);
    } catch (RuntimeException e) {
      log.debug("internal error parsing a line of {} bytes", len, e);
      return new ParseResult.Rejected(RejectReason.INTERNAL_ERROR, 1);
    }
  }

  private ParseResult parseLine(byte[] buf, int off, int len, String source) {
    int end = off + len;
    if (end > off && buf[end - 1] == '\n') {
      end--;
    }
    if (end > off && buf[end - 1] == '\r') {
      end--;
    }
    int lineBytes = end - off;
    if (lineBytes > maxLineBytes) {
      return new ParseResult.Rejected(RejectReason.TOO_LONG, maxLineBytes + 1);
    }
    while (end > off && (buf[end - 1] == ' ' || buf[end - 1] == '\t' || buf[end - 1] == '\r')) {
      end--;
    }
    if (end == off) {
      return new ParseResult.Rejected(RejectReason.EMPTY, 1);
    }
    if (fastPath && format.isAuto()) {
      AccessLogEvent event = CombinedFastPath.tryParse(buf, off, end, lineBytes, source);
      if (event != null) {
        return new ParseResult.Parsed(event);
      }
    }
    boolean ascii = ByteScan.isAscii(buf, off, end);
    int bad = ascii ? -1 : Utf8.firstInvalid(buf, off, end);
    if (bad >= 0) {
      return new ParseResult.Rejected(RejectReason.NOT_UTF8, bad - off + 1);
    }
    LineScanner s = new LineScanner(buf, off, end, ascii);
    if (format.isAuto()) {
      boolean vhost = looksLikeVhostFirst(buf, off, end);
      List<Token> tokens = vhost ? AUTO_VHOST : format.tokens();
      if (!s.scan(tokens, tokens.size())) {
        return new ParseResult.Rejected(s.reason(), s.column());
      }
      return new ParseResult.Parsed(EventAssembler.auto(s, vhost, lineBytes, source));
    }
    if (!s.scan(format.tokens(), format.optionalFrom())) {
      return new ParseResult.Rejected(s.reason(), s.column());
    }
    return new ParseResult.Parsed(EventAssembler.fixed(s, format.name(), lineBytes, source));
  }

  /** vhost_combined puts one more token before {@code %h %l %u [time]}. */
  private static boolean looksLikeVhostFirst(byte[] b, int off, int end) {
    int spaces = 0;
    for (int p = off; p < end - 1 && spaces < 4; p++) {
      if (b[p] == ' ') {
        spaces++;
        if (spaces == 3 && b[p + 1] == '[') {
          return false;
        }
        if (spaces == 4) {
          return b[p + 1] == '[';
        }
      }
    }
    return false;
  }
}
