package io.oxbow.serving.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checked query over one view (build it with {@link QueryParser}).
 *
 * @param view the view's name
 * @param from inclusive start: windows starting at or after it are read
 * @param to exclusive end: windows starting before it are read
 * @param granularity time buckets of the rows
 * @param groupBy dimensions kept, in the order asked; the others are rolled up
 * @param metrics metrics returned, in the order asked
 * @param filters dimension to accepted values: a group is kept when, for every filtered dimension,
 *     its value is one of the accepted ones (an empty text accepts a missing value)
 * @param orderBy sort keys, first one first
 * @param limit most rows returned; 0 when not given (then a result over the maximum is refused)
 */
public record Query(
    String view,
    Instant from,
    Instant to,
    Granularity granularity,
    List<String> groupBy,
    List<String> metrics,
    Map<String, Set<String>> filters,
    List<Order> orderBy,
    int limit) {

  /** Copies the collections. */
  public Query {
    groupBy = List.copyOf(groupBy);
    metrics = List.copyOf(metrics);
    filters = Map.copyOf(filters);
    orderBy = List.copyOf(orderBy);
  }

  /**
   * One sort key.
   *
   * @param field {@code window_start}, a grouped dimension or a returned metric
   * @param descending true for largest first
   */
  public record Order(String field, boolean descending) {}
}
