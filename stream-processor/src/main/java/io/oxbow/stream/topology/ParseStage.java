package io.oxbow.stream.topology;

import static io.oxbow.contracts.deadletter.DeadLetterStage.PARSE;
import static io.oxbow.contracts.deadletter.DeadLetterStage.VALIDATE;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.accesslog.RejectReason;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.contracts.deadletter.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Parses a raw line (format auto-detected per line) and validates the event; forwards it with the
 * record timestamp set to the event time. A line the parser rejects, or an event that fails
 * validation, is thrown as a {@link RejectedRecordException} (stage {@code parse} with the parser's
 * reason code and column, or stage {@code validate}) which the processing exception handler sends
 * to the dead-letter topic with the original bytes.
 *
 * <p>Validation: the status must be 100..599 ({@code STATUS_OUT_OF_RANGE}) and the event time no
 * more than a day after the line was received ({@code FUTURE_TIMESTAMP}).
 */
final class ParseStage implements FixedKeyProcessor<String, RawLogLine, AccessLogEvent> {
  private static final long MAX_FUTURE_MS = Duration.ofDays(1).toMillis();

  private final AccessLogParser parser;
  private final StreamMetrics metrics;
  private FixedKeyProcessorContext<String, AccessLogEvent> context;

  ParseStage(AccessLogParser parser, StreamMetrics metrics) {
    this.parser = parser;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, AccessLogEvent> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, RawLogLine> record) {
    metrics.line();
    RawLogLine raw = record.value();
    if (raw == null) {
      throw new RejectedRecordException(
          PARSE, DeadLetterReason.NO_VALUE, -1, "record without a value");
    }
    ByteBuffer buf = raw.getLine().duplicate();
    byte[] line = new byte[buf.remaining()];
    buf.get(line);
    ParseResult result = parser.parse(line, raw.getSource());
    if (result instanceof ParseResult.Rejected rejected) {
      throw new RejectedRecordException(
          PARSE,
          reason(rejected.reason()),
          rejected.column(),
          "line "
              + raw.getSource()
              + "#"
              + raw.getSequence()
              + " of ingest "
              + raw.getIngestId()
              + " rejected: "
              + rejected.reason()
              + " at column "
              + rejected.column());
    }
    AccessLogEvent event = ((ParseResult.Parsed) result).event();
    validate(event, raw);
    context.forward(record.withValue(event).withTimestamp(event.getEventTime().toEpochMilli()));
  }

  /** The dead-letter reason of a parser rejection: the parser's code under the same name. */
  static DeadLetterReason reason(RejectReason parserReason) {
    return DeadLetterReason.valueOf(parserReason.name());
  }

  private static void validate(AccessLogEvent event, RawLogLine raw) {
    String where = "line " + raw.getSource() + "#" + raw.getSequence();
    if (event.getStatus() < 100 || event.getStatus() > 599) {
      throw new RejectedRecordException(
          VALIDATE,
          DeadLetterReason.STATUS_OUT_OF_RANGE,
          -1,
          where + ": status " + event.getStatus() + " is not 100..599");
    }
    long received = raw.getReceivedTime().toEpochMilli();
    if (event.getEventTime().toEpochMilli() > received + MAX_FUTURE_MS) {
      throw new RejectedRecordException(
          VALIDATE,
          DeadLetterReason.FUTURE_TIMESTAMP,
          -1,
          where + ": event time " + event.getEventTime() + " is over a day after receipt");
    }
  }
}
