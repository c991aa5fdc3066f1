package io.oxbow.batch.landing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lands Kafka topics as Parquet, exactly once: a consumer group member that reads its partitions,
 * writes each partition's records to a staged file per event hour ({@link RollPolicy}), and commits
 * in this order: Kafka offsets (which fails for a member fenced out of the group, so a zombie never
 * publishes), publish the files (atomic), replace the partition manifest (the commit point). On
 * every assignment the partition is {@linkplain Recovery recovered} from the manifest and the
 * files' names and consumption resumes at the manifest's offset. Anything not yet committed when a
 * partition is revoked or a commit fails is dropped and replayed from the manifest.
 *
 * <p>Runs on one thread ({@link #run()}); {@link #close()} stops it. An unexpected exception ends
 * {@link #run()} (the caller restarts a fresh instance, see {@code BatchApp}). Metrics: {@code
 * oxbow.batch.landed.rows}, {@code oxbow.batch.landed.files}, {@code oxbow.batch.rejected} (tagged
 * with a {@link RejectReason}).
 */
public final class Lander implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lander.class);

  private final LandingSettings settings;
  private final LakeStorage storage;
  private final ManifestStore manifests;
  private final RecordDecoder decoder;
  private final BinaryRows binaryRows;
  private final RejectSink rejects;
  private final Clock clock;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, DatasetSpec> byTopic;
  private final Map<TopicPartition, PartitionLander> landers = new LinkedHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Counter rowsCounter;
  private final Counter filesCounter;
  private final Map<RejectReason, Counter> rejectedCounters = new EnumMap<>(RejectReason.class);
  private static final long RETRY_MS = 5_000;
  private final Set<TopicPartition> recovering = new HashSet<>();
  private long lastRetry;
  private volatile boolean healthy;
  private volatile Set<TopicPartition> owned = Set.of();
  private volatile long rowsLanded;

  /** A lander; nothing runs until {@link #run()}. */
  public Lander(
      LandingSettings settings,
      LakeStorage storage,
      RecordDecoder decoder,
      RejectSink rejects,
      Clock clock,
      MeterRegistry meters) {
    this.settings = settings;
    this.storage = storage;
    this.manifests = new ManifestStore(storage);
    this.decoder = decoder;
    this.binaryRows = new BinaryRows(decoder);
    this.rejects = rejects;
    this.clock = clock;
    this.byTopic =
        settings.datasets().stream()
            .collect(Collectors.toMap(DatasetSpec::topic, Function.identity()));
    this.consumer =
        new KafkaConsumer<>(
            consumerProperties(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.rowsCounter = meters.counter("oxbow.batch.landed.rows");
    this.filesCounter = meters.counter("oxbow.batch.landed.files");
    for (RejectReason reason : RejectReason.values()) {
      rejectedCounters.put(reason, meters.counter("oxbow.batch.rejected", "reason", reason.name()));
    }
  }

  private static Properties consumerProperties(LandingSettings settings) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-lander");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    props.putAll(settings.consumerOverrides());
    return props;
  }

  /**
   * Consumes and lands until {@link #close()}; failures of one commit are retried from the lake.
   */
  @Override
  public void run() {
    consumer.subscribe(byTopic.keySet(), new Rebalance());
    try {
      while (running.get()) {
        retryRecovery();
        var records = consumer.poll(settings.pollTimeout());
        long now = clock.millis();
        try {
          for (ConsumerRecord<byte[], byte[]> record : records) {
            handle(record, now);
          }
          for (var entry : landers.entrySet()) {
            entry.getValue().rollIfIdle(now);
            OptionalLong lag = consumer.currentLag(entry.getKey());
            boolean atEnd = lag.isPresent() && lag.getAsLong() == 0;
            entry.getValue().caughtUp(atEnd, atEnd ? consumer.position(entry.getKey()) : -1);
          }
          commit(now);
          healthy = recovering.isEmpty();
        } catch (WakeupException e) {
          throw e;
        } catch (IOException | KafkaException e) {
          healthy = false;
          log.error("landing failed; replaying uncommitted records from the manifests", e);
          Collection<TopicPartition> owned = new ArrayList<>(landers.keySet());
          drop(owned);
          recover(owned);
        }
      }
    } catch (WakeupException e) {
      // close() woke the consumer up
    } finally {
      drop(new ArrayList<>(landers.keySet()));
      consumer.close();
      healthy = false;
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, long now) throws IOException {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    PartitionLander lander = landers.get(tp);
    if (lander == null) {
      return;
    }
    LandingRow.Encoded encoded = binaryRows.encode(record, lander.spec().timeField());
    if (encoded != null) {
      lander.add(encoded, record.offset(), record.timestamp(), encoded.eventTime(), now);
      return;
    }
    GenericRecord value;
    long eventTime;
    RejectReason reason = RejectReason.NO_VALUE;
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("the record has no value (a tombstone)");
      }
      reason = RejectReason.UNDECODABLE;
      value = decoder.decode(record.topic(), record.headers(), record.value());
      reason = RejectReason.BAD_EVENT_TIME;
      eventTime = EventTimes.of(value, lander.spec().timeField());
    } catch (RuntimeException e) {
      rejects.reject(record, reason, e);
      rejectedCounters.get(reason).increment();
      lander.skip(record.offset(), now);
      return;
    }
    lander.add(LandingRow.of(value), record.offset(), record.timestamp(), eventTime, now);
  }

  private void commit(long now) throws IOException {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    List<Map.Entry<TopicPartition, PartitionLander>> committing = new ArrayList<>();
    for (var entry : landers.entrySet()) {
      if (entry.getValue().hasCommit()) {
        committing.add(entry);
        if (entry.getValue().commitOffset() >= 0) {
          offsets.put(entry.getKey(), new OffsetAndMetadata(entry.getValue().commitOffset()));
        }
      }
    }
    if (committing.isEmpty()) {
      return;
    }
    // fails for a member that lost the partition: nothing of its work gets published
    consumer.commitSync(offsets);
    for (var entry : committing) {
      PartitionLander lander = entry.getValue();
      long rows = 0;
      for (OpenFile.Finished f : lander.ready()) {
        storage.publish(f.staged(), f.file().key());
        rows += f.rows();
        filesCounter.increment();
        log.debug("published {} ({} rows)", f.file().key(), f.rows());
      }
      PartitionManifest manifest = lander.nextManifest(now);
      if (manifest.nextOffset() >= 0) {
        manifests.write(lander.spec().dataset(), manifest);
      }
      lander.committed(manifest);
      rowsCounter.increment(rows);
      rowsLanded += rows;
    }
  }

  /** Recovers partitions from the lake and seeks them; a failure pauses them for a retry. */
  private void recover(Collection<TopicPartition> partitions) {
    Map<String, List<String>> keysByDataset = new HashMap<>();
    for (TopicPartition tp : partitions) {
      DatasetSpec spec = byTopic.get(tp.topic());
      try {
        List<String> keys = keysByDataset.get(spec.dataset());
        if (keys == null) {
          keys = storage.list(spec.dataset());
          keysByDataset.put(spec.dataset(), keys);
        }
        PartitionManifest manifest =
            Recovery.recover(storage, manifests, spec, tp.partition(), keys);
        landers.put(
            tp,
            new PartitionLander(
                spec, tp.partition(), settings.roll(), storage.stagingDir(), manifest));
        if (manifest.nextOffset() >= 0) {
          consumer.seek(tp, manifest.nextOffset());
        } else {
          consumer.seekToBeginning(List.of(tp));
        }
        if (recovering.remove(tp)) {
          consumer.resume(List.of(tp));
        }
      } catch (IOException | RuntimeException e) {
        log.error("cannot recover {} from the lake {}; will retry", tp, storage.location(), e);
        healthy = false;
        if (recovering.add(tp)) {
          consumer.pause(List.of(tp));
        }
      }
    }
  }

  private void retryRecovery() {
    if (!recovering.isEmpty() && clock.millis() - lastRetry >= RETRY_MS) {
      lastRetry = clock.millis();
      List<TopicPartition> retry =
          recovering.stream().filter(consumer.assignment()::contains).toList();
      recovering.retainAll(consumer.assignment());
      recover(retry);
    }
  }

  private void drop(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      PartitionLander lander = landers.remove(tp);
      if (lander != null) {
        lander.abort();
      }
      recovering.remove(tp);
    }
  }

  /** True while this member lands {@code topic}'s partition {@code partition}. */
  public boolean owns(String topic, int partition) {
    return owned.contains(new TopicPartition(topic, partition));
  }

  /** True once a poll and commit cycle succeeded, until one fails. */
  public boolean healthy() {
    return healthy;
  }

  /** Rows published since start. */
  public long rowsLanded() {
    return rowsLanded;
  }

  /** Stops the loop; uncommitted data is dropped (it is replayed on the next start). */
  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      drop(partitions);
      owned = Set.copyOf(consumer.assignment().stream().filter(landers::containsKey).toList());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      recover(partitions);
      owned = Set.copyOf(consumer.assignment());
      log.info("landing {}", partitions);
    }
  }
}
