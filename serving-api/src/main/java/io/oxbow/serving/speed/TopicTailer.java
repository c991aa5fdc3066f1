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
 */
public final class TopicTailer implements AutoCloseable {
  /** How often missing topics and new partitions are looked for. */
  public static final Duration REFRESH = Duration.ofSeconds(2);

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

  /**
   * A tailer called {@code name} (thread name and logs) of {@code topics}.
   *
   * @param consumers makes the byte-array consumer (called once, in the tailer's thread)
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

  private void run() {
    try (KafkaConsumer<byte[], byte[]> c = consumers.get()) {
      consumer = c;
      if (!running) {
        return;
      }
      Set<TopicPartition> assigned = new HashSet<>();
      Map<TopicPartition, Long> targets = assignNew(c, assigned);
      long nextRefresh = System.nanoTime() + REFRESH.toNanos();
      while (running) {
        try {
          if (assigned.isEmpty()) {
            // nothing to read yet (polling would throw): wait for the next refresh or close
            stopping.await(200, TimeUnit.MILLISECONDS);
          } else {
            for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(200))) {
              handler.accept(record);
            }
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
          log.warn("{}: reading {} failed, retrying: {}", name, topics, e.toString());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("{}: stopped reading {}", name, topics, e);
    }
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
    c.seekToBeginning(fresh);
    log.debug("{}: reading {}", name, fresh);
    return new HashMap<>(c.endOffsets(fresh));
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (c.position(end.getKey()) < end.getValue()) {
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
