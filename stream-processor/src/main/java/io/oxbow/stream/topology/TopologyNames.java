package io.oxbow.stream.topology;

/**
 * Names of the topology's processors and stores that other code and tests refer to. Stable:
 * renaming a store or an internal topic loses its state on upgrade ({@code TopologyShapeTest} pins
 * every name).
 */
public final class TopologyNames {
  /** Global store of geo-IP ranges. */
  public static final String GEOIP_STORE = "geoip-ranges";

  /** Window store of page views per client, for attribution. */
  public static final String PAGEVIEW_STORE = "attribution-pageviews";

  /** Source of raw lines. */
  public static final String RAW_SOURCE = "raw-source";

  /** Parse and validate processor. */
  public static final String PARSE = "parse";

  /** Session store of open visits per visitor. */
  public static final String VISIT_SESSIONS_STORE = "visits-sessions";

  /** Repartition of page views by visitor ({@code <app>-visits-by-visitor-repartition}). */
  public static final String VISITS_BY_VISITOR = "visits-by-visitor";

  /** Buffer of sessions until they close ({@code visits-until-closed-store}). */
  public static final String VISITS_UNTIL_CLOSED = "visits-until-closed";

  private TopologyNames() {}

  /** The window store of a speed view: {@code speed-<view>-store}. */
  public static String speedViewStore(String view) {
    return "speed-" + view + "-store";
  }
}
