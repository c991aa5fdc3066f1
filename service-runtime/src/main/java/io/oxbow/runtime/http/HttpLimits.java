package io.oxbow.runtime.http;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The limits every Oxbow HTTP service applies to every connection and request, whatever its routes,
 * so that slow or hostile clients cannot hold threads, memory or a reservation for long. Shared by
 * all services (one set of {@code http.*} settings, environment {@code OXBOW_HTTP_*}); {@code
 * docs/limits.md} has the table with the answer a client gets past each limit.
 *
 * @param maxThreads request threads at most ({@code http.max-threads}, default 64); requests past
 *     them wait for a thread
 * @param maxConnections open connections at most ({@code http.max-connections}, default 1000); past
 *     it the server stops accepting until one closes
 * @param idleTimeout how long a connection may send or accept nothing ({@code http.idle-timeout},
 *     default 30s); then it is closed (a request in progress is answered 408 where possible)
 * @param minRequestDataRate bytes per second a request body must arrive at, measured from its first
 *     byte ({@code http.min-request-data-rate}, default 0: off); slower bodies are cut off with
 *     408. Off by default because the server measures from the body's first read with no grace
 *     period: a 1-byte body whose end was read 3 ms after its start was cut off, so a small request
 *     from a legitimate client on a busy server could be refused. Turn it on behind a buffering
 *     proxy or where slow uploads are a threat; silent uploads are cut off by the idle timeout
 *     either way
 * @param maxRequestHeaderBytes largest request line plus headers ({@code
 *     http.max-request-header-size}, default 16KiB); larger ones get 431
 * @param errorDrainBytes most bytes of an unread request body an error answer reads and drops so
 *     the connection stays usable ({@code http.error-drain-bytes}, default 1MiB); a longer body is
 *     not read and the connection is closed after the answer
 * @param errorDrainTime longest time an error answer spends dropping the unread body ({@code
 *     http.error-drain-time}, default 500ms); then the connection is closed after the answer
 * @param readinessCacheTime how long a {@code /health/ready} result is reused ({@code
 *     http.readiness-cache}, default 1s; 0 runs the checks on every probe, still one run at a time)
 */
public record HttpLimits(
    int maxThreads,
    int maxConnections,
    Duration idleTimeout,
    long minRequestDataRate,
    int maxRequestHeaderBytes,
    long errorDrainBytes,
    Duration errorDrainTime,
    Duration readinessCacheTime) {

  /** The setting {@code http.max-threads}. */
  public static final Setting<Integer> MAX_THREADS =
      Setting.integer(
          "http.max-threads",
          64,
          16,
          2000,
          "Request threads of each HTTP server; further requests wait for one.");

  /** The setting {@code http.max-connections}. */
  public static final Setting<Integer> MAX_CONNECTIONS =
      Setting.integer(
          "http.max-connections",
          1000,
          16,
          1_000_000,
          "Open connections of each HTTP server; past it new ones wait to be accepted.");

  /** The setting {@code http.idle-timeout}. */
  public static final Setting<Duration> IDLE_TIMEOUT =
      Setting.duration(
          "http.idle-timeout", "30s", "A connection silent this long is closed (408 mid-request).");

  /** The setting {@code http.min-request-data-rate}. */
  public static final Setting<Long> MIN_REQUEST_DATA_RATE =
      Setting.bytes(
          "http.min-request-data-rate",
          "0",
          "Bytes per second a request body must arrive at (0: no minimum); slower ones get 408.");

  /** The setting {@code http.max-request-header-size}. */
  public static final Setting<Long> MAX_REQUEST_HEADER_SIZE =
      Setting.bytes(
          "http.max-request-header-size",
          "16KiB",
          "Largest request line plus headers; larger ones get 431.");

  /** The setting {@code http.error-drain-bytes}. */
  public static final Setting<Long> ERROR_DRAIN_BYTES =
      Setting.bytes(
          "http.error-drain-bytes",
          "1MiB",
          "Unread body an error answer drops to keep the connection; longer: connection closed.");

  /** The setting {@code http.error-drain-time}. */
  public static final Setting<Duration> ERROR_DRAIN_TIME =
      Setting.duration(
          "http.error-drain-time",
          "500ms",
          "Longest an error answer spends dropping the unread body before closing the connection.");

  /** The setting {@code http.readiness-cache}. */
  public static final Setting<Duration> READINESS_CACHE =
      Setting.duration(
          "http.readiness-cache",
          "1s",
          "How long a /health/ready result is reused (checks run one at a time regardless).");

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          MAX_THREADS,
          MAX_CONNECTIONS,
          IDLE_TIMEOUT,
          MIN_REQUEST_DATA_RATE,
          MAX_REQUEST_HEADER_SIZE,
          ERROR_DRAIN_BYTES,
          ERROR_DRAIN_TIME,
          READINESS_CACHE);

  private static final long MAX_HEADER_BYTES = 1024L * 1024;

  /** Checks each limit's range; errors name the setting. */
  public HttpLimits {
    positive(IDLE_TIMEOUT, idleTimeout);
    positive(ERROR_DRAIN_TIME, errorDrainTime);
    if (readinessCacheTime.isNegative()) {
      throw new ConfigException(READINESS_CACHE.key() + " must not be negative");
    }
    if (minRequestDataRate < 0) {
      throw new ConfigException(MIN_REQUEST_DATA_RATE.key() + " must not be negative");
    }
    if (errorDrainBytes < 0) {
      throw new ConfigException(ERROR_DRAIN_BYTES.key() + " must not be negative");
    }
    if (maxRequestHeaderBytes < 1024 || maxRequestHeaderBytes > MAX_HEADER_BYTES) {
      throw new ConfigException(
          MAX_REQUEST_HEADER_SIZE.key()
              + " must be from 1KiB to 1MiB, was "
              + maxRequestHeaderBytes);
    }
  }

  /** Reads every {@code http.*} setting; errors name the setting. */
  public static HttpLimits from(ConfigSource source) {
    long headerBytes = source.get(MAX_REQUEST_HEADER_SIZE);
    if (headerBytes > MAX_HEADER_BYTES) {
      throw new ConfigException(MAX_REQUEST_HEADER_SIZE.key() + " must be at most 1MiB");
    }
    return new HttpLimits(
        source.get(MAX_THREADS),
        source.get(MAX_CONNECTIONS),
        source.get(IDLE_TIMEOUT),
        source.get(MIN_REQUEST_DATA_RATE),
        (int) headerBytes,
        source.get(ERROR_DRAIN_BYTES),
        source.get(ERROR_DRAIN_TIME),
        source.get(READINESS_CACHE));
  }

  /** Every limit at its default. */
  public static HttpLimits defaults() {
    return from(ConfigSource.ofFlags(Map.of()));
  }

  /**
   * The limits from the process's {@code OXBOW_HTTP_*} environment variables and the properties
   * file named by {@code OXBOW_CONFIG}, else the defaults. This is what {@link HttpService} applies
   * unless given other limits: they are shared by every service of the process rather than part of
   * one service's configuration record.
   *
   * @throws ConfigException naming the setting when a value does not parse
   */
  public static HttpLimits fromEnvironment() {
    return from(ConfigSource.load(Map.of(), Optional.empty()));
  }

  private static void positive(Setting<Duration> setting, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new ConfigException(setting.key() + " must be positive, was " + value);
    }
  }
}
