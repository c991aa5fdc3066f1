package io.oxbow.stream;

import io.oxbow.contracts.deadletter.DeadLetter;
import io.oxbow.contracts.deadletter.DeadLetterHeaders;
import io.oxbow.contracts.deadletter.DeadLetterReason;
import io.oxbow.contracts.deadletter.DeadLetterStage;
import io.oxbow.stream.topology.RejectedRecordException;
import io.oxbow.stream.topology.StreamMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three Kafka Streams exception handlers, configured on purpose: each turns the failing record
 * into a dead letter on {@code errors.dead.letter.queue.topic.name} (KIP-1034) holding the source
 * record's original key and value bytes plus the {@link DeadLetterHeaders}, counts it in {@link
 * StreamMetrics} (tags {@code stage} and {@code reason}), and lets processing resume. A poison
 * record never stops the application.
 *
 * <p>A {@link RejectedRecordException} is an expected rejection (a line the parser refused, an
 * event that fails validation): it carries its own stage, reason and column and is logged at DEBUG.
 * Anything else is unexpected, dead-lettered with stage {@code deserialize}, {@code process} or
 * {@code produce} and reason {@code DESERIALIZE_ERROR}, {@code PROCESS_ERROR} or {@code
 * PRODUCE_ERROR}, and logged at WARN with topic, partition, offset and task.
 */
public final class DeadLetteringExceptionHandlers {
  private static final Logger log = LoggerFactory.getLogger(DeadLetteringExceptionHandlers.class);

  private DeadLetteringExceptionHandlers() {}

  private abstract static class Base {
    String dlqTopic;
    StreamMetrics metrics;

    public void configure(Map<String, ?> configs) {
      Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
      if (topic == null) {
        throw new IllegalStateException(
            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must be set");
      }
      dlqTopic = topic.toString();
      Object m = configs.get(StreamMetrics.CONFIG_KEY);
      metrics = m instanceof StreamMetrics sm ? sm : StreamMetrics.inMemory();
    }

    List<ProducerRecord<byte[], byte[]>> deadLetter(
        ErrorHandlerContext ctx, byte[] key, byte[] value, DeadLetterStage stage, Exception e) {
      Instant now = Instant.now();
      DeadLetter letter;
      if (e instanceof RejectedRecordException r) {
        letter =
            DeadLetter.of(
                r.stage(), r.reason(), e, ctx.topic(), ctx.partition(), ctx.offset(), now);
        if (r.column() >= 0) {
          letter = letter.withColumn(r.column());
        }
        log.debug(
            "dead letter {} {} at {}-{}@{}: {}",
            letter.stage(),
            letter.reason(),
            ctx.topic(),
            ctx.partition(),
            ctx.offset(),
            e.getMessage());
      } else {
        letter =
            DeadLetter.of(
                stage, unexpected(stage), e, ctx.topic(), ctx.partition(), ctx.offset(), now);
        log.warn(
            "{} failed for {}-{}@{} in task {} node {}; sent to {}",
            letter.stage(),
            ctx.topic(),
            ctx.partition(),
            ctx.offset(),
            ctx.taskId(),
            ctx.processorNodeId(),
            dlqTopic,
            e);
      }
      metrics.deadLetter(letter.stage(), letter.reason());
      return List.of(
          new ProducerRecord<>(dlqTopic, null, key, value, DeadLetterHeaders.of(letter)));
    }
  }

  /** The reason of an unexpected failure in {@code stage}. */
  private static DeadLetterReason unexpected(DeadLetterStage stage) {
    return switch (stage) {
      case DESERIALIZE -> DeadLetterReason.DESERIALIZE_ERROR;
      case PRODUCE -> DeadLetterReason.PRODUCE_ERROR;
      default -> DeadLetterReason.PROCESS_ERROR;
    };
  }

  /** Records whose bytes do not deserialize (e.g. not Avro, unknown schema id). */
  public static final class Deserialization extends Base
      implements DeserializationExceptionHandler {
    @Override
    public Response handleError(
        ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception e) {
      return Response.resume(
          deadLetter(ctx, record.key(), record.value(), DeadLetterStage.DESERIALIZE, e));
    }
  }

  /** Exceptions thrown by a processor: rejections and bugs alike. */
  public static final class Processing extends Base implements ProcessingExceptionHandler {
    @Override
    public Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception e) {
      return Response.resume(
          deadLetter(ctx, ctx.sourceRawKey(), ctx.sourceRawValue(), DeadLetterStage.PROCESS, e));
    }
  }

  /** Records that cannot be serialized or that the broker refuses (e.g. too large). */
  public static final class Production extends Base implements ProductionExceptionHandler {
    @Override
    public Response handleError(
        ErrorHandlerContext ctx, ProducerRecord<byte[], byte[]> record, Exception e) {
      return Response.resume(
          deadLetter(ctx, ctx.sourceRawKey(), ctx.sourceRawValue(), DeadLetterStage.PRODUCE, e));
    }

    @Override
    public Response handleSerializationError(
        ErrorHandlerContext ctx,
        ProducerRecord record,
        Exception e,
        SerializationExceptionOrigin origin) {
      return Response.resume(
          deadLetter(ctx, ctx.sourceRawKey(), ctx.sourceRawValue(), DeadLetterStage.PRODUCE, e));
    }
  }
}
