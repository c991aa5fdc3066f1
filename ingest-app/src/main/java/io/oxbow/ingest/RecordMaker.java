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
   * A meter for a body about to be read: it reserves per line as the bytes arrive and stops the
   * read past a count limit. Default: {@link BodyMeter#NONE}.
   *
   * @throws io.oxbow.runtime.http.ApiException 400 for a refused source header
   */
  default BodyMeter meter(String mediaType, String sourceHeader) {
    return BodyMeter.NONE;
  }

  /**
   * Checks a body against the count limits with a scan that builds nothing, and says how much heap
   * its records will hold besides twice the body (object headers, Avro fields), so the caller can
   * reserve it before any record is made.
   *
   * @param body the decoded body
   * @param mediaType one of {@link #mediaTypes()}
   * @param sourceHeader the X-Oxbow-Source header, or null
   * @return bytes to reserve on top of twice the body
   * @throws io.oxbow.runtime.http.ApiException 413 past a count limit, 400 for a bad body or source
   */
  long heapBytes(byte[] body, String mediaType, String sourceHeader);

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
