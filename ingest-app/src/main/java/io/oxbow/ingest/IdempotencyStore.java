package io.oxbow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.runtime.kafka.TopicTail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Idempotency-Keys the app has answered, remembered for a window (default 24 h) in a compacted
 * Kafka topic ({@code ingest.idempotency}, {@code cleanup.policy=compact,delete}, retention = the
 * window). A key's record is written in the same transaction as the request's records, so the key
 * is remembered exactly when the records are visible.
 *
 * <p>A {@link TopicTail} ({@code read_committed}, from the beginning) keeps an in-memory map of the
 * topic: it is read to the end before the app starts serving (surviving restarts), and it also
 * picks up keys written by other instances; keys past the window leave memory every minute. After a
 * transaction whose outcome is unknown (a broker lost during commit), the next lookup first waits
 * until the map has caught up with the topic's end.
 *
 * <p>Keys are scoped as {@code endpoint API-key-name key}; memory holds at most {@code maxKeys}
 * keys and {@code maxKeysPerOwner} per endpoint and API key ({@link KeyMemory}). A request first
 * reserves its key, then looks it up ({@link #claim}), so of two concurrent requests with one key
 * exactly one writes: the other gets 409, or, once the first committed, its answer. A retried
 * request (which may have reached another instance first) is looked up only after the transactions
 * open at its arrival have ended, so a key another instance committed is never written twice.
 */
final class IdempotencyStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * What the app answered for a key.
   *
   * @param accepted the records accepted
   * @param bodySha256 the request body's SHA-256 (hex); in memory only its first 16 digits
   * @param timeMs when the request was committed
   */
  record Entry(int accepted, String bodySha256, long timeMs) {
    /** Whether {@code sha256} (hex) is the digest this entry holds (or its stored prefix). */
    boolean sameBody(String sha256) {
      return sha256.startsWith(bodySha256);
    }

    Entry compact() {
      return new Entry(
          accepted, bodySha256.substring(0, Math.min(16, bodySha256.length())), timeMs);
    }
  }

  private final String topic;
  private final Duration window;
  private final Admin admin;
  private final TopicTail tail;
  private final Clock clock;
  private final KeyMemory entries;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private volatile List<TopicPartition> partitions = List.of();
  private volatile boolean uncertain;

  IdempotencyStore(
      Map<String, Object> clientConfig,
      String topic,
      Duration window,
      int maxKeys,
      int maxKeysPerOwner,
      Clock clock) {
    // past a bound the oldest key is forgotten even within the window, of its owner first
    this.entries = new KeyMemory(maxKeys, maxKeysPerOwner);
    this.topic = topic;
    this.window = window;
    this.clock = clock;
    this.admin = Admin.create(clientConfig);
    this.tail =
        TopicTail.builder("ingest-idempotency", clientConfig)
            .topics(Set.of(topic))
            .handler(this::apply)
            .housekeeping(Duration.ofMinutes(1), this::evictExpired)
            .build();
  }

  /**
   * Reads the topic (created by {@link IngestTopics}) to the end and keeps following it.
   *
   * @throws IllegalStateException when the topic cannot be read within {@code timeout}
   */
  IdempotencyStore start(Duration timeout) throws InterruptedException {
    partitions = partitionsOf(timeout);
    tail.start();
    if (!tail.awaitCaughtUp(timeout)) {
      throw new IllegalStateException(
          "could not read the idempotency topic " + topic + " within " + timeout);
    }
    log.info("idempotency: {} key(s) remembered from {}", entries.size(), topic);
    return this;
  }

  /**
   * The idempotency topic as it is created when missing: one partition, compacted and deleted after
   * the window plus an hour (the replication is the deployment's, see {@link IngestTopics}).
   */
  static NewTopic topicSpec(String topic, Duration window) {
    long retentionMs = window.plusHours(1).toMillis();
    return new NewTopic(topic, java.util.Optional.of(1), java.util.Optional.empty())
        .configs(
            Map.of(
                "cleanup.policy", "compact,delete", "retention.ms", String.valueOf(retentionMs)));
  }

  private List<TopicPartition> partitionsOf(Duration timeout) throws InterruptedException {
    try {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .get(topic)
          .partitions()
          .stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .toList();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not describe " + topic + ": " + e, e);
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      log.warn("ignoring a keyless idempotency record at offset {}", record.offset());
      return;
    }
    String key = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      entries.remove(key);
      return;
    }
    try {
      JsonNode node = MAPPER.readTree(record.value());
      Entry entry =
          new Entry(
              node.path("accepted").asInt(),
              node.path("sha256").asText(),
              node.path("time").asLong());
      if (!expired(entry)) {
        entries.put(key, entry.compact());
      }
    } catch (IOException e) {
      log.warn("ignoring an unreadable idempotency record at offset {}", record.offset());
    }
  }

  /**
   * Waits until the in-memory map holds every committed key (the consumer reached the topic's last
   * stable offset).
   */
  boolean catchUp(Duration timeout) throws InterruptedException {
    return catchUp(timeout, IsolationLevel.READ_COMMITTED);
  }

  /**
   * Waits until the in-memory map holds every key of the topic's end as of now at {@code level}:
   * {@code READ_COMMITTED}, every committed key; {@code READ_UNCOMMITTED}, also every key of the
   * transactions open now, once they ended (committed keys are then in the map, aborted ones never
   * are).
   */
  private boolean catchUp(Duration timeout, IsolationLevel level) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> ends;
    try {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
      ends = new HashMap<>();
      admin
          .listOffsets(request, new ListOffsetsOptions(level))
          .all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
    return tail.awaitPositions(ends, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /**
   * The answer remembered for {@code scopedKey}; first catches up with the topic when a recent
   * transaction's outcome is unknown.
   *
   * @throws IllegalStateException when the store cannot be sure (the broker is unreachable)
   */
  Optional<Entry> find(String scopedKey, Duration timeout) throws InterruptedException {
    if (uncertain) {
      if (!catchUp(timeout)) {
        throw new IllegalStateException("cannot confirm earlier requests: Kafka is unreachable");
      }
      uncertain = false;
    }
    Entry entry = entries.get(scopedKey);
    if (entry == null || expired(entry)) {
      return Optional.empty();
    }
    return Optional.of(entry);
  }

  /**
   * Reserves a key for one request and then looks it up: the lookup happens while no other request
   * can write the key, so a key committed by a request that finished just before is always seen.
   *
   * @return the claim (close it to free the key), or empty when another request holds the key
   * @throws IllegalStateException when the store cannot be sure (the broker is unreachable); the
   *     key is freed
   */
  Optional<Claim> claim(String scopedKey, Duration timeout) throws InterruptedException {
    return claim(scopedKey, timeout, false);
  }

  /**
   * Reserves a key like {@link #claim(String, Duration)}; for a request that says it is a retry
   * ({@code settleFirst}), the lookup first waits until every transaction open on the topic at this
   * moment has ended and the map holds its keys. An earlier attempt that another instance wrote,
   * whose answer was lost (that instance stopped, the connection broke), is then always seen, even
   * when its commit was still under way.
   *
   * @throws IllegalStateException when that cannot be confirmed within {@code timeout} (a
   *     transaction of a stopped instance stays open until Kafka aborts it, {@code
   *     transaction.timeout.ms}, or that instance restarts), or the broker is unreachable; the key
   *     is freed
   */
  Optional<Claim> claim(String scopedKey, Duration timeout, boolean settleFirst)
      throws InterruptedException {
    if (!inFlight.add(scopedKey)) {
      return Optional.empty();
    }
    try {
      if (settleFirst && !catchUp(timeout, IsolationLevel.READ_UNCOMMITTED)) {
        throw new IllegalStateException(
            "cannot confirm earlier attempts of this Idempotency-Key yet: a transaction that may"
                + " hold it is still open (an ingest instance stopped while writing?) or Kafka is"
                + " unreachable; retry with the same key");
      }
      return Optional.of(new Claim(scopedKey, find(scopedKey, timeout)));
    } catch (RuntimeException | InterruptedException e) {
      inFlight.remove(scopedKey);
      throw e;
    }
  }

  /** A key reserved for one request, and what was remembered for it when it was reserved. */
  final class Claim implements AutoCloseable {
    private final String scopedKey;
    private final Optional<Entry> seen;

    private Claim(String scopedKey, Optional<Entry> seen) {
      this.scopedKey = scopedKey;
      this.seen = seen;
    }

    /** The earlier answer for this key, if it committed. */
    Optional<Entry> seen() {
      return seen;
    }

    /** Frees the key. */
    @Override
    public void close() {
      inFlight.remove(scopedKey);
    }
  }

  /** The record that remembers a key; written in the request's transaction. */
  ProducerRecord<byte[], byte[]> record(String scopedKey, Entry entry) {
    byte[] value =
        ("{\"accepted\":"
                + entry.accepted()
                + ",\"sha256\":\""
                + entry.bodySha256()
                + "\",\"time\":"
                + entry.timeMs()
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, scopedKey.getBytes(StandardCharsets.UTF_8), value);
  }

  /** Remembers a key whose transaction committed. */
  void committed(String scopedKey, Entry entry) {
    entries.put(scopedKey, entry.compact());
  }

  /** A transaction's outcome is unknown: the next lookup syncs with the topic first. */
  void markUncertain() {
    uncertain = true;
  }

  /** Drops keys older than the window from memory. */
  void evictExpired() {
    entries.removeIf(this::expired);
  }

  private boolean expired(Entry entry) {
    return clock.millis() - entry.timeMs() > window.toMillis();
  }

  /** Number of keys remembered now. */
  int size() {
    return entries.size();
  }

  /** Why the reader last failed, if it has not read again since. */
  Optional<Throwable> failure() {
    return tail.failure();
  }

  @Override
  public void close() {
    tail.close();
    admin.close(Duration.ofSeconds(1));
  }
}
