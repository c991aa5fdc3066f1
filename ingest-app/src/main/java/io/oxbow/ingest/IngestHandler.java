package io.oxbow.ingest;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.oxbow.runtime.http.ApiException;
import io.oxbow.runtime.http.security.HttpSecurity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow every ingest endpoint shares: authenticate, check the media type, read the body within
 * the limits, turn it into records (validating everything before anything is written), answer a
 * retried Idempotency-Key from memory, write all records in one transaction, and answer {@code 200
 * {"accepted": N}} only once Kafka committed them. Limits are checked before the work they bound:
 * the body's size as it is read, then its item count (a scan that builds nothing) together with a
 * reservation of the heap its records will hold. Any failure is a JSON error; a 503 carries
 * Retry-After and means nothing from the request is visible; a 504 (also with Retry-After) means
 * the commit was sent but not confirmed, so only a retry with the same Idempotency-Key is safe.
 */
final class IngestHandler implements Handler {
  private static final Logger log = LoggerFactory.getLogger(IngestHandler.class);
  private static final String REASON = "ingest.reason";
  private static final String START = "ingest.start";
  private static final String ATTEMPT = "X-Oxbow-Attempt";

  private final RecordMaker maker;
  private final IngestConfig config;
  private final HttpSecurity security;
  private final InflightBudget budget;
  private final TransactionalWriter writer;
  private final IdempotencyStore idempotency;
  private final IngestMetrics metrics;
  private final Clock clock;

  IngestHandler(
      RecordMaker maker,
      IngestConfig config,
      HttpSecurity security,
      InflightBudget budget,
      TransactionalWriter writer,
      IdempotencyStore idempotency,
      IngestMetrics metrics,
      Clock clock) {
    this.maker = maker;
    this.config = config;
    this.security = security;
    this.budget = budget;
    this.writer = writer;
    this.idempotency = idempotency;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void handle(Context ctx) throws Exception {
    long start = System.nanoTime();
    ctx.attribute(START, start);
    try {
      String principal = security.authorize(ctx, maker.permission()).name();
      String mediaType = mediaType(ctx.header("Content-Type"));
      String key = idempotencyKey(ctx.header("Idempotency-Key"));
      boolean retried = retried(ctx);
      String source = ctx.header("X-Oxbow-Source");
      BodyMeter meter = maker.meter(mediaType, source);
      try (RequestBody body = readBody(ctx, meter)) {
        String ingestId = UUID.randomUUID().toString();
        reserveForRecords(body, mediaType, source, ctx);
        List<ProducerRecord<byte[], byte[]>> records =
            makeRecords(body.bytes(), mediaType, source, ingestId);
        int accepted = records.size();
        if (key == null) {
          write(records, body.bytes().length, null, null);
        } else {
          accepted =
              writeOnce(
                  records, body.bytes(), maker.name() + " " + principal + " " + key, retried, ctx);
        }
        if (ctx.attribute(REASON) == null) {
          metrics.accepted(maker.name(), accepted, body.bytes().length, start);
        }
        ctx.header("X-Oxbow-Ingest-Id", ingestId).json(Map.of("accepted", accepted));
      }
    } catch (ApiException e) {
      String reason = ctx.attribute(REASON);
      metrics.rejected(
          maker.name(), reason == null ? IngestMetrics.reason(e.status()) : reason, start);
      throw e;
    }
  }

  private String mediaType(String contentType) {
    String type =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!maker.mediaTypes().contains(type)) {
      throw new ApiException(
          415,
          "Content-Type "
              + (type.isEmpty() ? "(none)" : type)
              + " is not accepted here; use "
              + String.join(" or ", new java.util.TreeSet<>(maker.mediaTypes())));
    }
    return type;
  }

  private static String idempotencyKey(String header) {
    if (header == null) {
      return null;
    }
    if (header.isEmpty() || header.length() > 255 || !header.matches("[\\x21-\\x7e]+")) {
      throw new ApiException(
          400, "Idempotency-Key must be 1 to 255 visible ASCII characters without spaces");
    }
    return header;
  }

  private RequestBody readBody(Context ctx, BodyMeter meter) throws java.io.IOException {
    try {
      return RequestBody.read(
          ctx.req().getInputStream(),
          ctx.header("Content-Encoding"),
          ctx.req().getContentLengthLong(),
          config.maxBodyBytes(),
          budget,
          config.retryAfterSeconds(),
          meter);
    } catch (ApiException e) {
      if (e.status() == 503) {
        ctx.attribute(REASON, "overloaded");
      }
      throw e;
    }
  }

  /** Checks the count limits and reserves the heap the records will hold, before making any. */
  private void reserveForRecords(RequestBody body, String mediaType, String source, Context ctx) {
    long more =
        maker.heapBytes(body.bytes(), mediaType, source) - body.reservedBeyondTwiceTheBody();
    if (more <= 0) {
      return;
    }
    try {
      body.reserveMore(more, config.retryAfterSeconds());
    } catch (ApiException e) {
      ctx.attribute(REASON, "overloaded");
      throw e;
    }
  }

  private List<ProducerRecord<byte[], byte[]>> makeRecords(
      byte[] body, String mediaType, String source, String ingestId) {
    try {
      return maker.records(body, mediaType, source, ingestId);
    } catch (SerializationException e) {
      log.warn("cannot serialize {} records: {}", maker.name(), e.toString());
      throw ApiException.unavailable(
          "the records could not be serialized (schema registry unavailable?)",
          config.retryAfterSeconds());
    }
  }

  private int writeOnce(
      List<ProducerRecord<byte[], byte[]>> records,
      byte[] body,
      String scopedKey,
      boolean retried,
      Context ctx)
      throws InterruptedException {
    String hash = sha256(body);
    Optional<IdempotencyStore.Claim> claim;
    try {
      claim = idempotency.claim(scopedKey, config.ackTimeout(), retried);
    } catch (IllegalStateException e) {
      ctx.attribute(REASON, "kafka_unavailable");
      throw ApiException.unavailable(e.getMessage(), config.retryAfterSeconds());
    }
    if (claim.isEmpty()) {
      throw new ApiException(
          409,
          "a request with this Idempotency-Key is in progress",
          List.of(),
          Map.of("Retry-After", String.valueOf(config.retryAfterSeconds())));
    }
    try (IdempotencyStore.Claim held = claim.get()) {
      if (held.seen().isPresent()) {
        return replay(held.seen().get(), hash, ctx);
      }
      IdempotencyStore.Entry entry =
          new IdempotencyStore.Entry(records.size(), hash, clock.millis());
      List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>(records);
      all.add(idempotency.record(scopedKey, entry));
      write(all, body.length, scopedKey, entry);
      return records.size();
    }
  }

  /**
   * Whether the client says this is not its first attempt ({@code X-Oxbow-Attempt} above 1): the
   * attempt before may have been written by another instance.
   */
  private static boolean retried(Context ctx) {
    String attempt = ctx.header(ATTEMPT);
    if (attempt == null) {
      return false;
    }
    try {
      int n = Integer.parseInt(attempt.trim());
      if (n >= 1) {
        return n > 1;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    String shown = attempt.length() > 20 ? attempt.substring(0, 20) + "..." : attempt;
    throw new ApiException(400, ATTEMPT + " must be a whole number from 1, was " + shown);
  }

  private int replay(IdempotencyStore.Entry seen, String hash, Context ctx) {
    if (!seen.sameBody(hash)) {
      throw new ApiException(
          422, "this Idempotency-Key was used for a different request body; use a new key");
    }
    ctx.header("Idempotent-Replayed", "true");
    ctx.attribute(REASON, "replayed");
    long start = ctx.attribute(START);
    metrics.replayed(maker.name(), start);
    return seen.accepted();
  }

  private void write(
      List<ProducerRecord<byte[], byte[]>> records,
      long bytes,
      String scopedKey,
      IdempotencyStore.Entry entry)
      throws InterruptedException {
    if (records.isEmpty()) {
      return;
    }
    long timeoutNanos = config.ackTimeout().toNanos();
    TransactionalWriter.Write write =
        writer.submit(records, bytes, System.nanoTime() + timeoutNanos);
    try {
      write.done.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (!write.cancel()) {
        awaitTaken(write, timeoutNanos);
      } else {
        throw kafkaUnavailable("Kafka did not acknowledge within " + config.ackTimeout());
      }
    } catch (ExecutionException e) {
      idempotency.markUncertain();
      if (e.getCause() instanceof TransactionalWriter.OutcomeUnknownException) {
        throw outcomeUnknown();
      }
      throw ApiException.unavailable(
          "Kafka did not take the records ("
              + e.getCause().getMessage()
              + "); the transaction was aborted, nothing from this request is visible",
          config.retryAfterSeconds());
    }
    if (scopedKey != null) {
      idempotency.committed(scopedKey, entry);
    }
  }

  /** A writer took the records: its transaction ends, committed or aborted, within the bound. */
  private void awaitTaken(TransactionalWriter.Write write, long timeoutNanos)
      throws InterruptedException {
    try {
      write.done.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      idempotency.markUncertain();
      if (e.getCause() instanceof TransactionalWriter.OutcomeUnknownException) {
        throw outcomeUnknown();
      }
      throw ApiException.unavailable(
          "Kafka did not take the records ("
              + e.getCause().getMessage()
              + "); the transaction was aborted, nothing from this request is visible",
          config.retryAfterSeconds());
    } catch (TimeoutException e) {
      idempotency.markUncertain();
      throw outcomeUnknown();
    }
  }

  /**
   * 504: the commit was sent but its result never came back, so the records may or may not be
   * committed. Only a retry with the same Idempotency-Key is safe: it is answered from what Kafka
   * holds.
   */
  private ApiException outcomeUnknown() {
    return new ApiException(
        504,
        "outcome unknown: Kafka did not confirm the commit within "
            + config.ackTimeout()
            + ", the records may or may not be committed; retry with the same Idempotency-Key",
        List.of(),
        Map.of("Retry-After", String.valueOf(config.retryAfterSeconds())));
  }

  private ApiException kafkaUnavailable(String message) {
    return ApiException.unavailable(
        message + "; nothing from this request is visible", config.retryAfterSeconds());
  }

  private static String sha256(byte[] body) {
    return HexFormat.of().formatHex(Fingerprints.sha256(body));
  }
}
