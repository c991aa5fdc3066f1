package io.oxbow.runtime.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until topics just created can take writes: every partition's leader serves it.
 *
 * <p>A created topic becomes usable in steps. The controller knows it once {@code createTopics}
 * returns; a broker answers "unknown topic" until its metadata has caught up; and a partition's
 * leader answers "not leader" for a moment longer, until it has opened its log. An idempotent
 * producer with several requests in flight that writes in that last moment can lose a batch: the
 * first request fails with "not leader", a later one is appended, and the broker then refuses every
 * retry of the first as out of order until the producer's {@code delivery.timeout.ms} expires it
 * (KAFKA-15591, fixed in Apache Kafka 4.5). Asking each partition's leader for its end offset
 * returns only once the leader serves the partition, which closes that window for the topics a
 * service creates before it writes to them.
 */
public final class TopicReadiness {
  private static final Logger log = LoggerFactory.getLogger(TopicReadiness.class);
  private static final long RETRY_MILLIS = 50;

  private TopicReadiness() {}

  /**
   * Returns once the broker knows every topic of {@code topics} and each of their partitions'
   * leaders answers for it. "Unknown topic" is asked again every 50 ms; "not leader" is retried by
   * the admin client itself. Any other error (a client allowed to create topics but not to describe
   * them) ends the wait with a WARN, since the topics exist.
   *
   * @param admin a client of the cluster
   * @param topics names of existing (usually just created) topics; none returns at once
   * @param timeout bound of the whole wait
   * @throws IllegalStateException when the topics are still not served after {@code timeout}
   */
  public static void await(Admin admin, Collection<String> topics, Duration timeout) {
    if (topics.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Map<String, TopicDescription> described = describe(admin, topics, timeout, deadline);
      if (described == null) {
        return;
      }
      Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
      described.forEach(
          (name, d) ->
              d.partitions()
                  .forEach(
                      p ->
                          partitions.put(
                              new TopicPartition(name, p.partition()), OffsetSpec.latest())));
      int left = remainingMillis(deadline);
      admin
          .listOffsets(partitions, new ListOffsetsOptions().timeoutMs(left))
          .all()
          .get(left, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw notServed(topics, timeout, e);
      }
      log.warn("cannot check that {} are served by their leaders: {}", topics, e.getMessage());
    } catch (TimeoutException e) {
      throw notServed(topics, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + topics, e);
    }
  }

  /** The topics' descriptions once the broker knows them all; null when it may not describe. */
  private static Map<String, TopicDescription> describe(
      Admin admin, Collection<String> topics, Duration timeout, long deadline)
      throws InterruptedException, TimeoutException {
    while (true) {
      try {
        return admin
            .describeTopics(topics)
            .allTopicNames()
            .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          log.warn("cannot check that {} are known to the broker: {}", topics, e.getMessage());
          return null;
        }
        if (System.nanoTime() >= deadline) {
          throw notServed(topics, timeout, e);
        }
        TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
      }
    }
  }

  private static int remainingMillis(long deadline) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
  }

  private static IllegalStateException notServed(
      Collection<String> topics, Duration timeout, Exception cause) {
    return new IllegalStateException(
        "topics " + topics + " still not served by their leaders after " + timeout, cause);
  }
}
