package io.oxbow.ingest;

import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.util.List;

/**
 * The limits every ingest request is checked against before the app does work proportional to its
 * content (see the "Limits" table of {@code docs/ingest.md}).
 *
 * @param maxLines lines in one {@code POST /v1/logs} body, empty ones included ({@code
 *     ingest.max-lines}, default 100000); past it 413
 * @param maxOrders orders in one {@code POST /v1/events/orders} body ({@code ingest.max-orders},
 *     default 10000); past it 413
 * @param maxJsonValues JSON values (objects, arrays, strings, numbers, ...) in one orders body
 *     ({@code ingest.max-json-values}, default 200000); past it 413
 * @param maxFieldChars longest string field of an order ({@code ingest.max-field-chars}, default
 *     256); past it 400 naming the field
 * @param maxSourceChars longest source ({@code X-Oxbow-Source} or NDJSON {@code source}; {@code
 *     ingest.max-source-chars}, default 256); past it 400
 * @param maxErrorsListed field errors listed in one 400 answer ({@code ingest.max-errors-listed},
 *     default 100); the message gives the total count
 * @param idempotencyMaxKeysPerClient Idempotency-Keys one client (endpoint and API key) keeps in
 *     memory ({@code ingest.idempotency-max-keys-per-client}, default 100000); past it the client's
 *     own oldest key is forgotten, never another client's
 */
public record IngestLimits(
    int maxLines,
    int maxOrders,
    int maxJsonValues,
    int maxFieldChars,
    int maxSourceChars,
    int maxErrorsListed,
    int idempotencyMaxKeysPerClient) {

  /** The setting {@code ingest.max-lines}. */
  public static final Setting<Integer> MAX_LINES =
      Setting.integer(
          "ingest.max-lines",
          100_000,
          1,
          10_000_000,
          "Lines in one POST /v1/logs body (empty ones included): 413.");

  /** The setting {@code ingest.max-orders}. */
  public static final Setting<Integer> MAX_ORDERS =
      Setting.integer(
          "ingest.max-orders", 10_000, 1, 1_000_000, "Orders in one POST /v1/events/orders: 413.");

  /** The setting {@code ingest.max-json-values}. */
  public static final Setting<Integer> MAX_JSON_VALUES =
      Setting.integer(
          "ingest.max-json-values",
          200_000,
          1,
          10_000_000,
          "JSON values (objects, arrays, strings, numbers) in one orders body: 413.");

  /** The setting {@code ingest.max-field-chars}. */
  public static final Setting<Integer> MAX_FIELD_CHARS =
      Setting.integer(
          "ingest.max-field-chars",
          256,
          45,
          65_536,
          "Longest string field of an order, checked before the field is parsed: 400.");

  /** The setting {@code ingest.max-source-chars}. */
  public static final Setting<Integer> MAX_SOURCE_CHARS =
      Setting.integer(
          "ingest.max-source-chars",
          256,
          1,
          4096,
          "Longest X-Oxbow-Source header or NDJSON source (the Kafka key): 400.");

  /** The setting {@code ingest.max-errors-listed}. */
  public static final Setting<Integer> MAX_ERRORS_LISTED =
      Setting.integer(
          "ingest.max-errors-listed",
          100,
          1,
          10_000,
          "Field errors listed in one 400 answer; the message counts them all.");

  /** The setting {@code ingest.idempotency-max-keys-per-client}. */
  public static final Setting<Integer> IDEMPOTENCY_MAX_KEYS_PER_CLIENT =
      Setting.integer(
          "ingest.idempotency-max-keys-per-client",
          100_000,
          1,
          100_000_000,
          "Idempotency-Keys one API key keeps per endpoint; its own oldest forgotten first.");

  /** Every limit setting, in documentation order. */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          MAX_LINES,
          MAX_ORDERS,
          MAX_JSON_VALUES,
          MAX_FIELD_CHARS,
          MAX_SOURCE_CHARS,
          MAX_ERRORS_LISTED,
          IDEMPOTENCY_MAX_KEYS_PER_CLIENT);

  /** The defaults. */
  public static final IngestLimits DEFAULTS = from(ConfigSource.ofFlags(java.util.Map.of()));

  /** Reads every limit; errors name the setting. */
  public static IngestLimits from(ConfigSource source) {
    return new IngestLimits(
        source.get(MAX_LINES),
        source.get(MAX_ORDERS),
        source.get(MAX_JSON_VALUES),
        source.get(MAX_FIELD_CHARS),
        source.get(MAX_SOURCE_CHARS),
        source.get(MAX_ERRORS_LISTED),
        source.get(IDEMPOTENCY_MAX_KEYS_PER_CLIENT));
  }
}
