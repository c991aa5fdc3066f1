package io.oxbow.batch.landing;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where records that cannot be landed go (undecodable bytes, a missing event time), so bad input
 * neither stops the loader nor disappears.
 */
public interface RejectSink extends AutoCloseable {
  /**
   * Accepts one rejected record; returns once it is durable.
   *
   * @param reason what is wrong, one of a fixed set
   * @param error the exception that rejected it; its message names the field where there is one
   */
  void reject(ConsumerRecord<byte[], byte[]> record, RejectReason reason, Exception error);

  @Override
  default void close() {}
}
