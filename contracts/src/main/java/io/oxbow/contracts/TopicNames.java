package io.oxbow.contracts;

/**
 * Default names of the topics that are Oxbow's contracts between services (see docs/design.md).
 * Every name is configurable per deployment; these are the defaults that services, tests and docs
 * share.
 */
public final class TopicNames {
  /** Raw log lines from the ingest app ({@code RawLogLine}), key: source id. */
  public static final String ACCESS_LOGS_RAW = "access-logs.raw";

  /** Parsed and enriched entries ({@code AccessLogEvent}), key: client address. */
  public static final String ACCESS_LOGS_ENRICHED = "access-logs.enriched";

  /** Dead letters: original bytes plus reason headers. */
  public static final String ACCESS_LOGS_DLQ = "access-logs.dlq";

  /** Order events ({@code Order}), key: client IP. */
  public static final String ORDERS = "orders";

  /** Orders joined with page views ({@code AttributedOrder}), key: client IP. */
  public static final String ORDERS_ATTRIBUTED = "orders.attributed";

  /** Closed visits ({@code Visit}), key: the visitor (client address and user-agent hash). */
  public static final String VISITS = "visits";

  /** Geo-IP ranges ({@code GeoIpRange}), compacted, key: range start (16 bytes). */
  public static final String REF_GEOIP = "ref.geoip";

  /** Prefix of the speed-view changelog topics: {@code views.speed.<view>}. */
  public static final String SPEED_VIEW_PREFIX = "views.speed.";

  /** Schema registry storage, compacted. */
  public static final String SCHEMAS = "_schemas";

  private TopicNames() {}

  /** The speed-view topic of a view, e.g. {@code views.speed.traffic}. */
  public static String speedView(String view) {
    return SPEED_VIEW_PREFIX + view;
  }
}
