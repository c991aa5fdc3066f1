package io.oxbow.serving.speed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a fixed set of topics from the beginning, forever, in one background thread, handing every
 * record to a handler: the way the serving API rebuilds its state from Kafka on every start. Uses
 * manual assignment (no consumer group) and never creates a topic; topics and partitions that
 * appear later are added within {@link #REFRESH}. A topic missing at start counts as read.
 *
 * <p>A Kafka error (the broker away) is retried at the next poll. Any other runtime exception, from
 * the consumer or the handler, closes the consumer and starts reading again with a new one from the
 * record after the last one handled, after a pause growing from {@link #RESTART_BACKOFF_MIN} to
 * {@link #RESTART_BACKOFF_MAX}; until a restarted reader has polled without failing, {@link
 * #checkRunning()} fails (so {@code /health/ready} reports DOWN). An {@link Error} stops the thread
 * for good and {@link #checkRunning()} fails from then on.
 */
public final class TopicTailer implements AutoCloseable {
  /** How often missing topics and new partitions are looked for. */
  public static final Duration REFRESH = Duration.ofSeconds(2);

  /** Pause before the first restart after a failure; it doubles with every further failure. */
  public static final Duration RESTART_BACKOFF_MIN = Duration.ofMillis(500);

  /** Longest pause between restarts. */
  public static final Duration RESTART_BACKOFF_MAX = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(TopicTailer.class);

  private final String name;
  private final Set<String> topics;
  private final Supplier<KafkaConsumer<byte[], byte[]>> consumers;
  private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
  private final Thread thread;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean caughtUp;
  private volatile boolean started;
  private volatile Throwable failure;
  private volatile int restarts;
  // read and written by the tailer's thread only
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private Map<TopicPartition, Long> targets;
  private long backoffMillis = RESTART_BACKOFF_MIN.toMillis();

  /**
   * A tailer called {@code name} (thread name and logs) of {@code topics}.
   *
   * @param consumers makes the byte-array consumer (called in the tailer's thread at start and at
   *     every restart)
   * @param handler called for every record, in offset order per partition, from one thread
   */
  public TopicTailer(
      String name,
      Set<String> topics,
      Supplier<KafkaConsumer<byte[], byte[]>> consumers,
      Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    this.name = name;
    this.topics = Set.copyOf(topics);
    this.consumers = consumers;
    this.handler = handler;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  /** Starts the background thread. */
  public synchronized void start() {
    if (!started) {
      started = true;
      thread.start();
    }
  }

  /** True once every partition present at start was read up to its end offset at that time. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /**
   * Returns normally while the reader works: it has not failed since its last successful poll.
   *
   * @throws IllegalStateException saying what failed and when the reader restarts, or that the
   *     thread has stopped
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
    try (KafkaConsumer<byte[], byte[]> c = consumers.get()) {
      consumer = c;
      if (!running) {
        return;
      }
      Set<TopicPartition> assigned = new HashSet<>();
      Map<TopicPartition, Long> ends = assignNew(c, assigned);
      if (targets == null) {
        targets = ends;
      }
      long nextRefresh = System.nanoTime() + REFRESH.toNanos();
      while (running) {
        try {
          if (assigned.isEmpty()) {
            // nothing to read yet (polling would throw): wait for the next refresh or close
            stopping.await(200, TimeUnit.MILLISECONDS);
          } else {
            for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(200))) {
              handle(record);
            }
          }
          if (failure != null) {
            log.info("{}: reading {} again after {} restarts", name, topics, restarts);
            failure = null;
            backoffMillis = RESTART_BACKOFF_MIN.toMillis();
          }
          if (!caughtUp && reached(c, targets)) {
            caughtUp = true;
            log.info("{}: caught up with {} partitions of {}", name, assigned.size(), topics);
          }
          if (System.nanoTime() > nextRefresh) {
            nextRefresh = System.nanoTime() + REFRESH.toNanos();
            assignNew(c, assigned);
          }
        } catch (KafkaException e) {
          if (e instanceof WakeupException) {
            throw e;
          }
          // the broker may be away for a while: keep the state, try again at the next poll
          failure = e;
          log.warn("{}: reading {} failed, retrying: {}", name, topics, e.toString());
        }
      }
    }
  }

  /**
   * Hands {@code record} to the handler and records the position after it. A failure of the handler
   * (a Kafka exception included) is not one of the consumer: the reader restarts at this record
   * instead of polling past it.
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
  }

  private Map<TopicPartition, Long> assignNew(
      KafkaConsumer<byte[], byte[]> c, Set<TopicPartition> assigned) {
    List<TopicPartition> found = new ArrayList<>();
    for (String topic : topics) {
      try {
        List<PartitionInfo> partitions = c.partitionsFor(topic, Duration.ofSeconds(5));
        if (partitions != null) {
          partitions.forEach(p -> found.add(new TopicPartition(topic, p.partition())));
        }
      } catch (TimeoutException | UnknownTopicOrPartitionException e) {
        // not created yet: looked for again at the next refresh
        log.debug("{}: topic {} not found yet: {}", name, topic, e.toString());
      }
    }
    List<TopicPartition> fresh = found.stream().filter(tp -> !assigned.contains(tp)).toList();
    if (fresh.isEmpty()) {
      return Map.of();
    }
    assigned.addAll(fresh);
    c.assign(assigned);
    // after a restart, go on from the record after the last one handled
    List<TopicPartition> unread = new ArrayList<>();
    for (TopicPartition tp : fresh) {
      Long position = positions.get(tp);
      if (position == null) {
        unread.add(tp);
      } else {
        c.seek(tp, position);
      }
    }
    if (!unread.isEmpty()) {
      // an empty list would seek every assigned partition
      c.seekToBeginning(unread);
    }
    log.debug("{}: reading {}", name, fresh);
    return new HashMap<>(c.endOffsets(fresh));
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
    Set<TopicPartition> assignment = c.assignment();
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (!assignment.contains(end.getKey()) || c.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Stops the thread and closes the consumer (waits up to 5 s). */
  @Override
  public void close() {
    running = false;
    stopping.countDown();
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
}
