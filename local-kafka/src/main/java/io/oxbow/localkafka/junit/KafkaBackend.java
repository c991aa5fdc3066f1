package io.oxbow.localkafka.junit;

/**
 * A Kafka cluster an integration test can use: the in-process KRaft broker by default, or a
 * Testcontainers {@code apache/kafka} container where Docker exists (system property {@code
 * oxbow.kafka.backend=testcontainers}).
 */
public interface KafkaBackend {
  /** The {@code bootstrap.servers} value, e.g. {@code 127.0.0.1:40123}. */
  String bootstrapServers();

  /** A short name for logs: {@code local} or {@code testcontainers}. */
  String name();
}
