package io.oxbow.stream.topology;

import io.oxbow.stream.enrich.Cidr;
import io.oxbow.views.visit.VisitRules;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the topology takes from the stream processor's configuration: the topics it reads and
 * writes, and the durations and ranges its stages apply. The service fills it from its settings
 * ({@code StreamTopology.build}); the topology itself reads no configuration.
 *
 * @param raw raw log lines ({@code access-logs.raw})
 * @param enriched enriched access-log events, written and read back as page views ({@code
 *     access-logs.enriched})
 * @param orders orders ({@code orders})
 * @param attributed attributed orders ({@code orders.attributed})
 * @param geoip geo-IP ranges, read into the global store ({@code ref.geoip})
 * @param speedViewPrefix prefix of the speed-view topics ({@code views.speed.})
 * @param grace how late a record may be and still count in the speed views
 * @param attributionWindow how long before an order its client's page views are attributed to it
 * @param internalCidrs extra ranges dropped as internal traffic (besides loopback, private, ...)
 * @param visitsTopic closed visits ({@code visits})
 * @param visits the inactivity timeout and bot rules of visits
 */
public record TopologyOptions(
    String raw,
    String enriched,
    String orders,
    String attributed,
    String geoip,
    String speedViewPrefix,
    Duration grace,
    Duration attributionWindow,
    List<Cidr> internalCidrs,
    String visitsTopic,
    VisitRules visits) {
  /**
   * How much later than the speed views' grace a closed visit may still count in a speed view of
   * visits: beyond the timeout and grace that every visit waits before it is closed, the length of
   * the visit itself (a view windows visits by their start). A visit longer than this reaches the
   * view too late and is counted by the batch layer only.
   */
  static final Duration VISIT_SPEED_SLACK = Duration.ofDays(1);

  /** Checks that nothing is missing; copies the ranges. */
  public TopologyOptions {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(enriched, "enriched");
    Objects.requireNonNull(orders, "orders");
    Objects.requireNonNull(attributed, "attributed");
    Objects.requireNonNull(geoip, "geoip");
    Objects.requireNonNull(speedViewPrefix, "speedViewPrefix");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(attributionWindow, "attributionWindow");
    internalCidrs = List.copyOf(internalCidrs);
    Objects.requireNonNull(visitsTopic, "visitsTopic");
    Objects.requireNonNull(visits, "visits");
  }

  /**
   * The grace of a speed view of visits: the views' grace, plus the timeout and grace a visit waits
   * for before it is closed, plus {@link #VISIT_SPEED_SLACK}.
   */
  public Duration visitViewGrace() {
    return grace.multipliedBy(2).plus(visits.timeout()).plus(VISIT_SPEED_SLACK);
  }

  /** The speed-view topic of {@code view}. */
  public String speedView(String view) {
    return speedViewPrefix + view;
  }
}
