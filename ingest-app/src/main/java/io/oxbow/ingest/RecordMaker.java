package io.oxbow.ingest;

import io.oxbow.runtime.http.security.Permission;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns one endpoint's request body into the Kafka records to write (already serialized), or fails
 * with an {@link io.oxbow.runtime.http.ApiException} naming the bad item. Never writes.
 */
interface RecordMaker {
  /** The endpoint's name in metrics and idempotency scopes, e.g. {@code logs}. */
  String name();

  /** The API key permission the endpoint needs. */
  Permission permission();

  /** Accepted media types (lower case, without parameters). */
  Set<String> mediaTypes();

  /**
   * The records for a body.
   *
   * @param body the decoded body
   * @param mediaType one of {@link #mediaTypes()}
   * @param sourceHeader the X-Oxbow-Source header, or null
   * @param ingestId this request's id
   */
  List<ProducerRecord<byte[], byte[]>> records(
      byte[] body, String mediaType, String sourceHeader, String ingestId);
}
