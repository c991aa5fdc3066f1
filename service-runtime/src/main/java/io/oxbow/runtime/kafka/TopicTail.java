package io.oxbow.runtime.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a fixed set of topics into memory, forever, in one background thread, handing every
 * record to a callback: the one loop behind every "read a topic into memory" part of Oxbow (the
 * serving API's speed views and dead letters, the ingest idempotency keys, the schema registry's
 * log). Assigns every partition itself (no consumer group, nothing committed), never creates a
 * topic, and reads {@code read_committed}; topics and partitions that appear later are added within
 * {@link #REFRESH}, and a topic missing at start counts as read.
 *
 * <p>Each partition is read from its {@link StartPosition} (default: the beginning). {@link
 * #caughtUp()} turns true once every partition present at start was read up to its end offset of
 * that moment (the last stable offset); {@link #awaitPositions} waits for any later offsets.
 *
 * <p>A Kafka error of a poll (the broker away) is retried at the next poll. Any other runtime
 * exception, from the consumer or the callback, closes the consumer and reads again with a new one
 * from the record after the last one handled (the failed record is read again, never skipped),
 * after a pause growing from {@link #RESTART_BACKOFF_MIN} to {@link #RESTART_BACKOFF_MAX}, back to
 * the minimum once a poll succeeds. Until then {@link #checkRunning()} fails. An {@link Error}
 * stops the thread for good and {@link #checkRunning()} fails from then on.
 *
 * <p>Metrics ({@link #bindMetrics}): {@code oxbow_tail_records_total{tail}}, {@code
 * oxbow_tail_restarts_total{tail}}, {@code oxbow_tail_caught_up{tail}} (1 once caught up).
 *
 * <pre>{@code
 * TopicTail tail = TopicTail.builder("dlq-store", Map.of("bootstrap.servers", servers))
 *     .topics(Set.of("access-logs.dlq"))
 *     .handler(record -> store.add(record))
 *     .build()
 *     .start();
 * }</pre>
 */
public final class TopicTail implements AutoCloseable {
  /** How often missing topics and new partitions are looked for. */
  public static final Duration REFRESH = Duration.ofSeconds(2);

  /** Pause before the first restart after a failure; it doubles with every further failure. */
  public static final Duration RESTART_BACKOFF_MIN = Duration.ofMillis(500);

  /** Longest pause between restarts. */
  public static final Duration RESTART_BACKOFF_MAX = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(TopicTail.class);

  private final String name;
  private final Set<String> topics;
  private final Map<String, Object> consumerProps;
  private final StartPosition start;
  private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
  private final Duration housekeepingEvery;
  private final Runnable housekeeping;
  private final Thread thread;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Object progress = new Object();
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final AtomicLong recordCount = new AtomicLong();
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean running = true;
  private volatile boolean caughtUp;
  private volatile boolean started;
  private volatile Throwable failure;
  private volatile int restarts;
  // read and written by the tail's thread only
  private Map<TopicPartition, Long> targets;
  private long backoffMillis = RESTART_BACKOFF_MIN.toMillis();
  private long nextHousekeeping;

  private TopicTail(Builder b) {
    this.name = b.name;
    this.topics = Set.copyOf(b.topics);
    Map<String, Object> props = new HashMap<>(b.consumerProps);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    // a position gone (compaction, retention) goes on from the oldest record left
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    if (b.start instanceof StartPosition.Committed committed) {
      // only to look the group's offsets up: the tail assigns partitions itself, never commits
      props.put(ConsumerConfig.GROUP_ID_CONFIG, committed.groupId());
    }
    this.consumerProps = Map.copyOf(props);
    this.start = b.start;
    this.handler = b.handler;
    this.housekeepingEvery = b.housekeepingEvery;
    this.housekeeping = b.housekeeping;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.nextHousekeeping = System.nanoTime();
  }

  /**
   * Publishes {@code oxbow_tail_records_total{tail}} (records handed to the callback), {@code
   * oxbow_tail_restarts_total{tail}} and {@code oxbow_tail_caught_up{tail}} (1 once caught up) on
   * {@code meters}.
   */
  public void bindMetrics(MeterRegistry meters) {
    FunctionCounter.builder("oxbow.tail.records", recordCount, AtomicLong::get)
        .description("Records handed to the callback of a topic tail")
        .tag("tail", name)
        .register(meters);
    FunctionCounter.builder("oxbow.tail.restarts", this, t -> t.restarts)
        .description("Restarts of a topic tail after a failure")
        .tag("tail", name)
        .register(meters);
    Gauge.builder("oxbow.tail.caught.up", this, t -> t.caughtUp ? 1 : 0)
        .description("1 once the tail has read its topics to their end offsets at start")
        .tag("tail", name)
        .register(meters);
  }

  /**
   * A builder of a tail called {@code name} (thread name, logs and metric tag).
   *
   * @param consumerProps consumer settings: at least {@code bootstrap.servers}, plus security; the
   *     tail sets the deserializers, turns auto-commit and topic creation off and reads {@code
   *     read_committed} unless {@code isolation.level} is given
   */
  public static Builder builder(String name, Map<String, Object> consumerProps) {
    return new Builder(name, consumerProps);
  }

  /** Starts the background thread; returns this tail. */
  public synchronized TopicTail start() {
    if (!started) {
      started = true;
      thread.start();
    }
    return this;
  }

  /** True once every partition present at start was read up to its end offset at that time. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /**
   * Waits until {@link #caughtUp()}.
   *
   * @return whether it caught up within {@code timeout}
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (!caughtUp) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !running) {
          return false;
        }
        progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    return true;
  }

  /**
   * Waits until every partition of {@code offsets} has been read up to (not including) its offset:
   * every record before it was handed to the callback.
   *
   * @return whether they were reached within {@code timeout}
   */
  public boolean awaitPositions(Map<TopicPartition, Long> offsets, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (!reached(offsets)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !running) {
          return false;
        }
        progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    return true;
  }

  /** The offset of the next record to hand over in {@code partition}; -1 before it is read. */
  public long position(TopicPartition partition) {
    return positions.getOrDefault(partition, -1L);
  }

  private boolean reached(Map<TopicPartition, Long> offsets) {
    for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
      if (e.getValue() > 0 && position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns normally while the tail works: it has not failed since its last successful poll.
   *
   * @throws IllegalStateException saying what failed and when the tail restarts, or that the thread
   *     has stopped
   */
  public void checkRunning() {
    Throwable failed = failure;
    if (started && running && !thread.isAlive()) {
      throw new IllegalStateException(
          name + ": stopped reading " + topics + (failed == null ? "" : " after " + failed));
    }
    if (failed != null) {
      throw new IllegalStateException(
          name + ": reading failed (" + failed + "); restart " + restarts + " under way");
    }
  }

  /** The failure since the last successful poll, if any. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** Restarts after a failure since start. */
  public int restarts() {
    return restarts;
  }

  private void run() {
    while (running) {
      try {
        read();
        return;
      } catch (WakeupException e) {
        return; // closing
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failure = e;
        restarts++;
        log.error(
            "{}: reading {} failed; restarting in {} ms (restart {})",
            name,
            topics,
            backoffMillis,
            restarts,
            e);
      } catch (Error e) {
        failure = e;
        log.error("{}: stopped reading {}", name, topics, e);
        throw e;
      } finally {
        synchronized (progress) {
          progress.notifyAll();
        }
      }
      try {
        if (stopping.await(backoffMillis, TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoffMillis = Math.min(backoffMillis * 2, RESTART_BACKOFF_MAX.toMillis());
    }
  }

  /** Reads with a new consumer from the positions reached so far, until closed. */
  private void read() throws InterruptedException {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      if (!running) {
        return;
      }
      Assignment assignment = new Assignment(name, topics, start, positions);
      Map<TopicPartition, Long> ends = assignment.addNew(c);
      if (targets == null) {
        targets = ends;
      }
      long nextRefresh = System.nanoTime() + REFRESH.toNanos();
      while (running) {
        try {
          pollOnce(c, assignment.partitions());
          if (System.nanoTime() > nextRefresh) {
            nextRefresh = System.nanoTime() + REFRESH.toNanos();
            assignment.addNew(c);
          }
        } catch (KafkaException e) {
          if (e instanceof WakeupException) {
            throw e;
          }
          // the broker may be away for a while: keep the state, try again at the next poll
          failure = e;
          log.warn("{}: reading {} failed, retrying: {}", name, topics, e.toString());
        }
        housekeeping();
      }
    }
  }

  private void pollOnce(KafkaConsumer<byte[], byte[]> c, Set<TopicPartition> assigned)
      throws InterruptedException {
    if (assigned.isEmpty()) {
      // nothing to read yet (polling would throw): wait for the next refresh or close
      stopping.await(200, TimeUnit.MILLISECONDS);
    } else {
      for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(200))) {
        handle(record);
      }
      // past the records handled and any transaction markers after them
      for (TopicPartition tp : assigned) {
        positions.put(tp, c.position(tp));
      }
    }
    if (failure != null) {
      log.info("{}: reading {} again after {} restarts", name, topics, restarts);
      failure = null;
      backoffMillis = RESTART_BACKOFF_MIN.toMillis();
    }
    synchronized (progress) {
      if (!caughtUp && reached(targets)) {
        caughtUp = true;
        log.info("{}: caught up with {} partitions of {}", name, assigned.size(), topics);
      }
      progress.notifyAll();
    }
  }

  private void housekeeping() {
    if (housekeeping != null && System.nanoTime() - nextHousekeeping >= 0) {
      nextHousekeeping = System.nanoTime() + housekeepingEvery.toNanos();
      housekeeping.run();
    }
  }

  /**
   * Hands {@code record} to the callback and records the position after it. A failure of the
   * callback (a Kafka exception included) is not one of the consumer: the tail restarts at this
   * record instead of polling past it.
   */
  private void handle(ConsumerRecord<byte[], byte[]> record) {
    try {
      handler.accept(record);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "handling "
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset()
              + " failed: "
              + e,
          e);
    }
    positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
    recordCount.incrementAndGet();
  }

  /** Stops the thread and closes the consumer (waits up to 5 s). */
  @Override
  public void close() {
    running = false;
    stopping.countDown();
    synchronized (progress) {
      progress.notifyAll();
    }
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builds a {@link TopicTail}. */
  public static final class Builder {
    private final String name;
    private final Map<String, Object> consumerProps;
    private Set<String> topics = new HashSet<>();
    private StartPosition start = StartPosition.beginning();
    private Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private Duration housekeepingEvery = Duration.ofMinutes(1);
    private Runnable housekeeping;

    private Builder(String name, Map<String, Object> consumerProps) {
      this.name = Objects.requireNonNull(name);
      this.consumerProps = Map.copyOf(consumerProps);
    }

    /** The topics to follow (required). */
    public Builder topics(Set<String> topics) {
      this.topics = Set.copyOf(topics);
      return this;
    }

    /** Where a partition not read before starts (default: the beginning). */
    public Builder start(StartPosition start) {
      this.start = Objects.requireNonNull(start);
      return this;
    }

    /**
     * Called for every record, in offset order per partition, from the tail's one thread
     * (required). A runtime exception restarts the tail at that record.
     */
    public Builder handler(Consumer<ConsumerRecord<byte[], byte[]>> handler) {
      this.handler = Objects.requireNonNull(handler);
      return this;
    }

    /**
     * A task run in the tail's thread between polls, at most once every {@code every} (default:
     * none), e.g. dropping what has expired from memory.
     */
    public Builder housekeeping(Duration every, Runnable task) {
      this.housekeepingEvery = Objects.requireNonNull(every);
      this.housekeeping = Objects.requireNonNull(task);
      return this;
    }

    /** The tail, not started. */
    public TopicTail build() {
      if (topics.isEmpty() || handler == null) {
        throw new IllegalStateException(name + ": a topic tail needs topics and a handler");
      }
      return new TopicTail(this);
    }
  }
}
