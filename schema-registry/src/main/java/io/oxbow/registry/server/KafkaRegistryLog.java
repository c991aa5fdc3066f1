package io.oxbow.registry.server;

import io.oxbow.registry.client.SchemaRegistryException;
import io.oxbow.runtime.kafka.ReplicationSettings;
import io.oxbow.runtime.kafka.StartPosition;
import io.oxbow.runtime.kafka.TopicTail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state in a compacted Kafka topic ({@code _schemas} by default: 1 partition, {@code
 * cleanup.policy=compact}, created when absent), materialized by a {@link TopicTail} that reads the
 * whole topic from the beginning ({@code read_committed}; restarted with backoff after a failure,
 * {@link #ready()} false meanwhile).
 *
 * <p>One writer at a time across every instance sharing the topic: writes go through a
 * transactional producer whose {@code transactional.id} all instances share. Taking the write lease
 * ({@code initTransactions}) fences the previous holder, whose next commit then fails; the new
 * holder reads the log up to its last committed offset before planning a write. So no two instances
 * can both plan from a state that misses the other's writes, and one id never names two schemas. A
 * fenced instance takes the lease back, catches up and plans again.
 */
public final class KafkaRegistryLog implements RegistryLog {
  private static final Logger log = LoggerFactory.getLogger(KafkaRegistryLog.class);
  private static final int MAX_WRITE_ATTEMPTS = 20;

  private final String topic;
  private final TopicPartition partition;
  private final Map<String, Object> clientProps;
  private final Duration timeout;
  private final String writerId;
  private final RegistryState state = new RegistryState();
  private final Admin admin;
  private final TopicTail reader;
  private final Object writeLock = new Object();

  private volatile boolean running = true;
  private final long startTarget;
  private KafkaProducer<byte[], byte[]> producer; // guarded by writeLock

  /**
   * Connects, creates the topic when absent and starts reading it from the beginning; returns once
   * the state has caught up with the log.
   *
   * @param bootstrapServers Kafka bootstrap servers
   * @param topic the storage topic, usually {@code _schemas}
   * @param clientProps extra properties for the Kafka clients (security settings, for example)
   * @param replication the replication of the topic when it is created
   * @param timeout how long to wait for Kafka at start and per write
   */
  public KafkaRegistryLog(
      String bootstrapServers,
      String topic,
      Map<String, Object> clientProps,
      ReplicationSettings replication,
      Duration timeout) {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.timeout = timeout;
    this.writerId = "oxbow-schema-registry-writer-" + topic;
    Map<String, Object> base = new java.util.HashMap<>(clientProps);
    base.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.clientProps = Map.copyOf(base);
    this.admin = Admin.create(this.clientProps);
    SchemasTopicAdmin.createIfAbsent(admin, topic, replication, timeout);
    this.startTarget = SchemasTopicAdmin.committedEnd(admin, partition, timeout);
    // the whole compacted topic, from the beginning, read_committed
    this.reader =
        TopicTail.builder("schema-registry-reader-" + topic, this.clientProps)
            .topics(Set.of(topic))
            .start(StartPosition.beginning())
            .handler(this::apply)
            .build()
            .start();
    awaitApplied(startTarget);
    log.info("read {} records of {}: {} schemas", startTarget, topic, state.schemaCount());
  }

  @Override
  public RegistryState state() {
    return state;
  }

  @Override
  public boolean ready() {
    return running
        && reader.failure().isEmpty()
        && (startTarget == 0 || reader.position(partition) >= startTarget);
  }

  @Override
  public <T> T write(WriteOperation<T> operation) {
    synchronized (writeLock) {
      KafkaException last = null;
      for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        takeLease();
        Write<T> write = operation.plan(state);
        if (write.records().isEmpty()) {
          return write.result();
        }
        try {
          long lastOffset = append(write.records());
          awaitApplied(lastOffset + 1);
          return write.result();
        } catch (KafkaException e) {
          // fenced by another instance (or the transaction failed): take the lease back, re-plan
          log.info("write to {} not committed ({}); catching up and retrying", topic, e.toString());
          dropLease();
          last = e;
        }
      }
      throw new SchemaRegistryException(
          500,
          SchemaRegistryException.STORE_ERROR,
          "Error while writing to the schema store "
              + topic
              + ": "
              + (last == null ? "" : last.getMessage()));
    }
  }

  private long append(List<LogRecord> records) {
    producer.beginTransaction();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (LogRecord r : records) {
      sent.add(producer.send(new ProducerRecord<>(topic, 0, r.key(), r.value())));
    }
    producer.commitTransaction();
    long lastOffset = -1;
    for (Future<RecordMetadata> f : sent) {
      try {
        lastOffset = Math.max(lastOffset, f.get().offset());
      } catch (ExecutionException e) {
        throw new KafkaException("write to " + topic + " failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      }
    }
    return lastOffset;
  }

  private void takeLease() {
    if (producer != null) {
      return;
    }
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, writerId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      producer.initTransactions();
    } catch (KafkaException e) {
      dropLease();
      throw storeError("could not become the writer of " + topic, e);
    }
    // every transaction of an earlier writer is now committed or aborted: read up to its end
    awaitApplied(SchemasTopicAdmin.committedEnd(admin, partition, timeout));
  }

  private void dropLease() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (KafkaException e) {
        log.debug("closing a fenced producer", e);
      }
      producer = null;
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      log.warn("skipping a keyless record at offset {} of {}", r.offset(), topic);
      return;
    }
    try {
      state.apply(r.key(), r.value());
    } catch (RuntimeException e) {
      log.warn("skipping unreadable record at offset {} of {}: {}", r.offset(), topic, e);
    }
  }

  /**
   * Waits until every record before {@code offset} is applied: writes are planned from a state that
   * holds every committed write, so none blocks past {@code timeout}.
   */
  private void awaitApplied(long offset) {
    try {
      if (reader.awaitPositions(Map.of(partition, offset), timeout)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw storeError("interrupted while reading " + topic, e);
    }
    if (!running) {
      throw storeError("the reader of " + topic + " stopped", null);
    }
    Throwable failure = reader.failure().orElse(null);
    if (failure != null) {
      throw storeError("the reader of " + topic + " failed", failure);
    }
    throw new SchemaRegistryException(
        500,
        SchemaRegistryException.TIMEOUT,
        "Timed out waiting for the schema store " + topic + " to reach offset " + offset);
  }

  static SchemaRegistryException storeError(String message, Throwable cause) {
    SchemaRegistryException e =
        new SchemaRegistryException(
            500,
            SchemaRegistryException.STORE_ERROR,
            message + (cause == null ? "" : ": " + cause.getMessage()));
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  @Override
  public void close() {
    running = false;
    reader.close();
    synchronized (writeLock) {
      dropLease();
    }
    admin.close(Duration.ofSeconds(2));
  }
}
