package io.oxbow.batch.landing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends rejected records to a dead-letter topic (default {@code access-logs.dlq}) with the original
 * key and value bytes and the headers of the project's DLQ contract: {@code oxbow.dlq.stage}
 * ({@code batch-landing}), {@code oxbow.dlq.reason} (a {@link RejectReason} name), {@code
 * oxbow.dlq.exception} (the class), {@code oxbow.dlq.exception.message} (what is wrong, naming the
 * field; at most {@value #MAX_MESSAGE_CHARS} characters), {@code oxbow.dlq.topic}, {@code
 * oxbow.dlq.partition}, {@code oxbow.dlq.offset}, {@code oxbow.dlq.time}. Delivery is at least
 * once: a record rejected just before a crash is rejected again on replay.
 */
public final class DeadLetterSink implements RejectSink {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterSink.class);

  /** Longest exception message kept in a header. */
  public static final int MAX_MESSAGE_CHARS = 1000;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  /** A sink producing to {@code topic} on {@code bootstrapServers} (idempotent, acks=all). */
  public DeadLetterSink(String bootstrapServers, String topic) {
    this(bootstrapServers, Map.of(), topic);
  }

  /**
   * A sink producing to {@code topic} on {@code bootstrapServers} (idempotent, acks=all), with
   * {@code clientProperties} (the client security settings) added to the producer's.
   */
  public DeadLetterSink(
      String bootstrapServers, Map<String, Object> clientProperties, String topic) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "oxbow-batch-dlq");
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  @Override
  public void reject(ConsumerRecord<byte[], byte[]> record, RejectReason reason, Exception error) {
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS);
    }
    log.warn(
        "rejected {}-{}@{}: {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        reason,
        message);
    RecordHeaders headers = new RecordHeaders();
    header(headers, "oxbow.dlq.stage", "batch-landing");
    header(headers, "oxbow.dlq.reason", reason.name());
    header(headers, "oxbow.dlq.exception", error.getClass().getName());
    header(headers, "oxbow.dlq.exception.message", message);
    header(headers, "oxbow.dlq.topic", record.topic());
    header(headers, "oxbow.dlq.partition", String.valueOf(record.partition()));
    header(headers, "oxbow.dlq.offset", String.valueOf(record.offset()));
    header(headers, "oxbow.dlq.time", String.valueOf(System.currentTimeMillis()));
    try {
      producer
          .send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers))
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot send a rejected record to " + topic, e);
    }
  }

  private static void header(RecordHeaders headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
