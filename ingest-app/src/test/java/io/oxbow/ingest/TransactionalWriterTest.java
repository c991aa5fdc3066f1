package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class TransactionalWriterTest {
  private static final List<ProducerRecord<byte[], byte[]>> RECORDS =
      List.of(new ProducerRecord<>("t", new byte[] {1}, new byte[] {2}));

  private static Throwable failureOf(MockProducer<byte[], byte[]> producer) throws Exception {
    try (TransactionalWriter writer =
        new TransactionalWriter(Map.of(), "test", 1, Duration.ofSeconds(1), config -> producer)
            .start()) {
      TransactionalWriter.Write write =
          writer.submit(RECORDS, 2, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
      try {
        write.done.get(10, TimeUnit.SECONDS);
        return null;
      } catch (ExecutionException e) {
        return e.getCause();
      }
    }
  }

  private static MockProducer<byte[], byte[]> producer() {
    return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Test
  void shouldCallACommitThatTimedOutUnknownNotAborted() throws Exception {
    MockProducer<byte[], byte[]> producer = producer();
    producer.commitTransactionException = new TimeoutException("commit not confirmed");

    assertThat(failureOf(producer))
        .isInstanceOf(TransactionalWriter.OutcomeUnknownException.class)
        .hasRootCauseInstanceOf(TimeoutException.class);
  }

  @Test
  void shouldCommitWhenATimedOutCommitSucceedsOnASecondTry() throws Exception {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
          private int commits;

          @Override
          public void commitTransaction() {
            if (commits++ == 0) {
              throw new TimeoutException("commit not confirmed yet");
            }
            super.commitTransaction();
          }
        };

    assertThat(failureOf(producer)).isNull();
    assertThat(producer.history()).hasSize(1);
  }

  @Test
  void shouldCreateTheProducerAgainAfterAnUnknownCommitWithoutWaitingForARequest()
      throws Exception {
    // initTransactions of a new producer settles what the closed one left open; without a new
    // request the transaction would stay open until transaction.timeout.ms
    List<MockProducer<byte[], byte[]>> created = new CopyOnWriteArrayList<>();
    Function<Map<String, Object>, Producer<byte[], byte[]>> producers =
        config -> {
          MockProducer<byte[], byte[]> p = producer();
          if (created.isEmpty()) {
            p.commitTransactionException = new TimeoutException("commit not confirmed");
          }
          created.add(p);
          return p;
        };
    try (TransactionalWriter writer =
        new TransactionalWriter(Map.of(), "test", 1, Duration.ofSeconds(1), producers).start()) {
      TransactionalWriter.Write write =
          writer.submit(RECORDS, 2, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
      assertThatThrownBy(() -> write.done.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TransactionalWriter.OutcomeUnknownException.class);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(created)
                      .as("producers created: the first, then one settling its transaction")
                      .hasSize(2)
                      .last()
                      .matches(MockProducer::transactionInitialized));
      assertThat(created.get(0).closed()).isTrue();
    }
  }

  @Test
  void shouldCallAFailedSendAborted() throws Exception {
    MockProducer<byte[], byte[]> producer = producer();
    producer.sendException = new KafkaException("record refused");

    assertThat(failureOf(producer))
        .isNotNull()
        .isNotInstanceOf(TransactionalWriter.OutcomeUnknownException.class);
  }

  @Test
  void shouldCompleteACommittedWrite() throws Exception {
    MockProducer<byte[], byte[]> producer = producer();
    assertThat(failureOf(producer)).isNull();
    assertThat(producer.history()).hasSize(1);
  }
}
