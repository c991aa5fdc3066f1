package io.oxbow.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each request's records to Kafka all-or-nothing, in a Kafka transaction, and completes the
 * request's future only when the transaction committed (acks=all, idempotent producer): a failed or
 * aborted request leaves nothing visible to {@code read_committed} consumers.
 *
 * <p>{@code writers} threads each own a transactional producer ({@code transactional.id} = prefix +
 * {@code -} + index, stable across restarts so a restarted app fences and aborts its predecessor's
 * open transactions as soon as its writers start). A thread takes every request waiting in the
 * queue (up to 8 MiB of records) into one transaction: group commit amortizes the commit's round
 * trips under load, and since a transaction commits as a whole, each request in it still gets
 * all-or-nothing.
 *
 * <p>A request not yet taken by a writer can be cancelled (its caller gave up: nothing is written).
 * A writer aborts instead of committing when a request's deadline has passed. A commit that fails
 * after every send succeeded fails its requests with {@link OutcomeUnknownException}: the broker
 * may have committed it. After a failed transaction the producer is aborted or, when it cannot be,
 * closed and created anew.
 */
final class TransactionalWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TransactionalWriter.class);
  private static final long GROUP_BYTES = 8L * 1024 * 1024;

  private final Map<String, Object> producerConfig;
  private final Function<Map<String, Object>, Producer<byte[], byte[]>> producers;
  private final long commitGraceNanos;
  private final String transactionalIdPrefix;
  private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  TransactionalWriter(
      Map<String, Object> producerConfig,
      String transactionalIdPrefix,
      int writers,
      Duration ackTimeout) {
    this(producerConfig, transactionalIdPrefix, writers, ackTimeout, KafkaProducer::new);
  }

  /** A writer whose producers come from {@code producers} (given the producer configuration). */
  TransactionalWriter(
      Map<String, Object> producerConfig,
      String transactionalIdPrefix,
      int writers,
      Duration ackTimeout,
      Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
    this.producerConfig = producerProperties(producerConfig, ackTimeout);
    this.producers = producers;
    this.commitGraceNanos = ackTimeout.toNanos() / 2;
    this.transactionalIdPrefix = transactionalIdPrefix;
    for (int i = 0; i < writers; i++) {
      Worker worker = new Worker(transactionalIdPrefix + "-" + i);
      Thread thread = new Thread(worker, "ingest-writer-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  static Map<String, Object> producerProperties(Map<String, Object> base, Duration ackTimeout) {
    Map<String, Object> config = new HashMap<>(base);
    long ack = Math.max(1000, ackTimeout.toMillis());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
    // every blocking call of a transaction is bounded so a writer never hangs on a lost broker
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(500, ack / 2));
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, ack / 2));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ack);
    config.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  /** Starts the writer threads. */
  TransactionalWriter start() {
    threads.forEach(Thread::start);
    log.info("{} transactional writer(s) {}-*", threads.size(), transactionalIdPrefix);
    return this;
  }

  /**
   * Queues one request's records.
   *
   * @param deadlineNanos {@link System#nanoTime()} after which the records must not be committed
   */
  Write submit(List<ProducerRecord<byte[], byte[]>> records, long bytes, long deadlineNanos) {
    Write write = new Write(records, bytes, deadlineNanos);
    if (!running) {
      write.fail(new IllegalStateException("the ingest app is stopping"));
      return write;
    }
    queue.add(write);
    return write;
  }

  @Override
  public void close() {
    running = false;
    for (Thread thread : threads) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Write left;
    while ((left = queue.poll()) != null) {
      left.fail(new IllegalStateException("the ingest app stopped"));
    }
  }

  /** A commit was sent but not confirmed: the records may or may not be committed. */
  static final class OutcomeUnknownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutcomeUnknownException(Throwable cause) {
      super("the commit was not confirmed: " + cause.getMessage(), cause);
    }
  }

  /** One request's records and the outcome its caller waits for. */
  static final class Write {
    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int CANCELLED = 2;

    final List<ProducerRecord<byte[], byte[]>> records;
    final long bytes;
    final long deadlineNanos;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    Write(List<ProducerRecord<byte[], byte[]>> records, long bytes, long deadlineNanos) {
      this.records = records;
      this.bytes = bytes;
      this.deadlineNanos = deadlineNanos;
    }

    /** True when the write was still queued and now never will be written. */
    boolean cancel() {
      boolean cancelled = state.compareAndSet(QUEUED, CANCELLED);
      if (cancelled) {
        done.completeExceptionally(new IllegalStateException("cancelled before it was written"));
      }
      return cancelled;
    }

    boolean take() {
      return state.compareAndSet(QUEUED, TAKEN);
    }

    void fail(Exception e) {
      done.completeExceptionally(e);
    }
  }

  private final class Worker implements Runnable {
    private static final long SETTLE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String transactionalId;
    private Producer<byte[], byte[]> producer;
    private boolean closedAfterFailure;
    private long lastSettleAttempt;

    Worker(String transactionalId) {
      this.transactionalId = transactionalId;
    }

    @Override
    public void run() {
      try {
        // at once, not at the first request: a restarted instance fences its predecessor and
        // Kafka aborts the transactions that one left open, which read_committed readers (the
        // idempotency store of every instance among them) would otherwise wait on
        producer();
      } catch (RuntimeException e) {
        log.warn(
            "producer {} not ready yet, trying again at the first request: {}",
            transactionalId,
            e.toString());
      }
      try {
        while (running) {
          settleAfterFailure();
          List<Write> group = takeGroup();
          if (!group.isEmpty()) {
            writeGroup(group);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        closeProducer();
      }
    }

    /**
     * Creates the producer again, without waiting for the next request, when a failed transaction
     * closed it: its {@code initTransactions} fences the closed one and settles the transaction
     * that one may have left open (a commit whose outcome is unknown). Retries of that
     * transaction's requests wait for it to end (the idempotency store's settle step), and with no
     * new request reaching this writer it would stay open until {@code transaction.timeout.ms}.
     * Tried at most once a second while Kafka is unreachable.
     */
    private void settleAfterFailure() {
      long now = System.nanoTime();
      if (!closedAfterFailure || now - lastSettleAttempt < SETTLE_EVERY_NANOS) {
        return;
      }
      lastSettleAttempt = now;
      try {
        producer();
        closedAfterFailure = false;
      } catch (RuntimeException e) {
        log.debug("producer {} not ready again yet: {}", transactionalId, e.toString());
      }
    }

    private List<Write> takeGroup() throws InterruptedException {
      List<Write> group = new ArrayList<>();
      Write first = queue.poll(100, TimeUnit.MILLISECONDS);
      long bytes = 0;
      while (first != null) {
        if (first.take()) {
          group.add(first);
          bytes += first.bytes;
        }
        if (bytes >= GROUP_BYTES) {
          break;
        }
        first = queue.poll();
      }
      return group;
    }

    private void writeGroup(List<Write> group) {
      try {
        Producer<byte[], byte[]> p = producer();
        p.beginTransaction();
        AtomicReference<Exception> sendError = new AtomicReference<>();
        for (Write write : group) {
          for (ProducerRecord<byte[], byte[]> record : write.records) {
            p.send(
                record,
                (metadata, error) -> {
                  if (error != null) {
                    sendError.compareAndSet(null, error);
                  }
                });
          }
        }
        long now = System.nanoTime();
        if (group.stream().anyMatch(w -> now - w.deadlineNanos > 0)) {
          throw new org.apache.kafka.common.errors.TimeoutException(
              "Kafka did not take the records before the request's deadline");
        }
        commit(p, sendError, commitDeadline(group));
        if (sendError.get() != null) {
          throw sendError.get();
        }
        group.forEach(w -> w.done.complete(null));
      } catch (Exception e) {
        log.warn("transaction of {} request(s) failed: {}", group.size(), e.toString());
        abort(e);
        group.forEach(w -> w.fail(e));
      }
    }

    /**
     * Until when a timed-out commit is tried again: half an ack timeout past the group's earliest
     * deadline, while its callers still wait (they wait up to two ack timeouts for a taken write).
     */
    private long commitDeadline(List<Write> group) {
      long earliest = group.get(0).deadlineNanos;
      for (Write w : group) {
        earliest = w.deadlineNanos - earliest < 0 ? w.deadlineNanos : earliest;
      }
      return earliest + commitGraceNanos;
    }

    /**
     * Commits. A commit that timed out is tried again (the producer allows it) until {@code
     * deadlineNanos}, so it usually ends decided: committed, or refused because a send failed,
     * which is aborted for sure (the send callbacks have all run once the commit's flush returned).
     * A commit still undecided at the deadline, or failing otherwise, may have reached the
     * coordinator: its outcome is unknown rather than aborted.
     */
    private void commit(
        Producer<byte[], byte[]> p, AtomicReference<Exception> sendError, long deadlineNanos) {
      while (true) {
        try {
          p.commitTransaction();
          return;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          if (sendError.get() != null) {
            throw e;
          }
          if (System.nanoTime() - deadlineNanos > 0) {
            throw new OutcomeUnknownException(e);
          }
          log.debug("commit not confirmed yet, trying again: {}", e.toString());
        } catch (RuntimeException e) {
          if (sendError.get() != null) {
            throw e;
          }
          throw new OutcomeUnknownException(e);
        }
      }
    }

    private Producer<byte[], byte[]> producer() {
      if (producer == null) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        Producer<byte[], byte[]> created = producers.apply(config);
        try {
          created.initTransactions();
        } catch (RuntimeException e) {
          created.close(Duration.ZERO);
          throw e;
        }
        producer = created;
        closedAfterFailure = false;
      }
      return producer;
    }

    private void abort(Exception cause) {
      if (producer == null) {
        return;
      }
      // after an unconfirmed commit the producer cannot abort: a new one settles the transaction
      boolean fatal =
          cause instanceof OutcomeUnknownException
              || cause instanceof ProducerFencedException
              || cause instanceof OutOfOrderSequenceException
              || cause instanceof AuthorizationException;
      if (!fatal) {
        try {
          producer.abortTransaction();
          return;
        } catch (RuntimeException e) {
          log.debug("abort failed, recreating the producer: {}", e.toString());
        }
      }
      closeProducer();
      closedAfterFailure = true;
    }

    private void closeProducer() {
      if (producer != null) {
        try {
          producer.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
          log.debug("closing producer {}: {}", transactionalId, e.toString());
        }
        producer = null;
      }
    }
  }
}
