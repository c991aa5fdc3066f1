package io.oxbow.registry.server;

import io.oxbow.registry.client.SchemaRegistryException;
import io.oxbow.runtime.kafka.ReplicationSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state in a compacted Kafka topic ({@code _schemas} by default: 1 partition, {@code
 * cleanup.policy=compact}, created when absent), materialized by a reader thread.
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
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread reader;
  private final Object progress = new Object();
  private final Object writeLock = new Object();

  private volatile boolean running = true;
  private volatile Throwable readerFailure;
  private long applied; // guarded by progress: offset of the next record to apply
  private long startTarget;
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
    this.consumer = new KafkaConsumer<>(consumerProps());
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    this.reader = new Thread(this::readLoop, "schema-registry-reader-" + topic);
    reader.setDaemon(true);
    reader.start();
    awaitApplied(startTarget);
    log.info("read {} records of {}: {} schemas", startTarget, topic, state.schemaCount());
  }

  @Override
  public RegistryState state() {
    return state;
  }

  @Override
  public boolean ready() {
    synchronized (progress) {
      return running && readerFailure == null && applied >= startTarget;
    }
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

  private void readLoop() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() == null) {
            log.warn("skipping a keyless record at offset {} of {}", r.offset(), topic);
            continue;
          }
          try {
            state.apply(r.key(), r.value());
          } catch (RuntimeException e) {
            log.warn("skipping unreadable record at offset {} of {}: {}", r.offset(), topic, e);
          }
        }
        long position = consumer.position(partition);
        synchronized (progress) {
          applied = position;
          progress.notifyAll();
        }
      }
    } catch (WakeupException | InterruptException e) {
      log.debug("reader of {} stopped", topic);
    } catch (RuntimeException e) {
      log.error("reader of {} failed; the registry is no longer ready", topic, e);
      readerFailure = e;
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private void awaitApplied(long offset) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (applied < offset) {
        long left = deadline - System.nanoTime();
        if (readerFailure != null || !running) {
          throw storeError("the reader of " + topic + " stopped", readerFailure);
        }
        if (left <= 0) {
          throw new SchemaRegistryException(
              500,
              SchemaRegistryException.TIMEOUT,
              "Timed out waiting for the schema store " + topic + " to reach offset " + offset);
        }
        try {
          progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw storeError("interrupted while reading " + topic, e);
        }
      }
    }
  }

  private Properties consumerProps() {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return props;
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
    synchronized (progress) {
      progress.notifyAll();
    }
    consumer.wakeup();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (writeLock) {
      dropLease();
    }
    admin.close(Duration.ofSeconds(2));
  }
}
