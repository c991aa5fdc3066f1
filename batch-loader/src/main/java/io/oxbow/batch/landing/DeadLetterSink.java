package io.oxbow.batch.landing;

import io.oxbow.contracts.deadletter.DeadLetter;
import io.oxbow.contracts.deadletter.DeadLetterHeaders;
import io.oxbow.contracts.deadletter.DeadLetterStage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends rejected records to a dead-letter topic (default {@code access-logs.dlq}) with the original
 * key and value bytes and the project's {@link DeadLetterHeaders}: stage {@code land}, the {@link
 * RejectReason}'s code, the exception's class and message (what is wrong, naming the field), the
 * source topic, partition and offset, and the time. Delivery is at least once: a record rejected
 * just before a crash is rejected again on replay.
 */
public final class DeadLetterSink implements RejectSink {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterSink.class);

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
    DeadLetter letter =
        DeadLetter.of(
            DeadLetterStage.LAND,
            reason.deadLetterReason(),
            error,
            record.topic(),
            record.partition(),
            record.offset(),
            Instant.now());
    log.warn(
        "rejected {}-{}@{}: {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        reason,
        letter.exceptionMessage());
    Headers headers = DeadLetterHeaders.of(letter);
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

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
