package io.oxbow.serving.query;

import io.oxbow.views.MetricType;
import io.oxbow.views.ViewDefinition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the parameters of {@code GET /api/v1/views/{view}/query} into a checked {@link Query}.
 *
 * <ul>
 *   <li>{@code from}, {@code to} (required): ISO-8601 instants within {@link QueryLimits#EARLIEST}
 *       and {@link QueryLimits#LATEST}, {@code from} before {@code to};
 *   <li>{@code granularity}: default the view's window; never finer than it; the range holds at
 *       most the maximum buckets of it (else the error names the finest granularity that fits);
 *   <li>{@code groupBy}: comma list of the view's dimensions; default none (all rolled up);
 *   <li>{@code metrics}: comma list; default every metric of the view;
 *   <li>{@code filter} (repeatable up to the maximum filters): {@code dim:value}, split at the
 *       first colon;
 *   <li>{@code orderBy}: comma list of {@code window_start}, grouped dimensions and returned count,
 *       sum, min, max or distinct metrics; a leading {@code -} (or a {@code :desc} suffix) sorts
 *       descending; default {@code window_start} then the dimensions;
 *   <li>{@code limit}: 1 to the maximum rows; default none (0), and then a result larger than the
 *       maximum rows is refused.
 * </ul>
 *
 * No value may be longer than the maximum parameter characters. Every problem is a {@link
 * QueryException} naming the parameter, found before any data is read.
 */
public final class QueryParser {
  /** The parameters a query accepts. */
  public static final List<String> PARAMETERS =
      List.of("from", "to", "granularity", "groupBy", "metrics", "filter", "orderBy", "limit");

  private static final String WINDOW_START = "window_start";

  private final QueryLimits limits;

  /** A parser enforcing {@code limits}. */
  public QueryParser(QueryLimits limits) {
    this.limits = limits;
  }

  /**
   * The query over {@code view} asked by {@code params} (name to values, as in a URL).
   *
   * @throws QueryException naming the first bad parameter
   */
  public Query parse(ViewDefinition view, Map<String, List<String>> params) {
    checkSizes(params);
    Instant from = instant(params, "from");
    Instant to = instant(params, "to");
    if (!from.isBefore(to)) {
      throw QueryException.badParameter("from", "must be before to (" + from + " >= " + to + ")");
    }
    Granularity granularity = granularity(view, single(params, "granularity"));
    checkBuckets(view, from, to, granularity);
    List<String> groupBy = names(params, "groupBy", view.dimensions(), "dimension", view);
    List<String> allMetrics = view.metrics().stream().map(m -> m.name()).toList();
    List<String> metrics = names(params, "metrics", allMetrics, "metric", view);
    if (single(params, "metrics") == null) {
      metrics = allMetrics;
    }
    Map<String, Set<String>> filters = filters(view, params.getOrDefault("filter", List.of()));
    List<Query.Order> orderBy = orderBy(view, single(params, "orderBy"), groupBy, metrics);
    int limit = limit(single(params, "limit"));
    return new Query(view.name(), from, to, granularity, groupBy, metrics, filters, orderBy, limit);
  }

  /** Unknown names, overlong values and too many filters, before anything is parsed. */
  private void checkSizes(Map<String, List<String>> params) {
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      String name = param.getKey();
      if (!PARAMETERS.contains(name)) {
        throw QueryException.badParameter(
            shown(name), "unknown parameter (accepted: " + String.join(", ", PARAMETERS) + ")");
      }
      for (String value : param.getValue()) {
        if (value != null && value.length() > limits.maxParameterChars()) {
          throw QueryException.badParameter(
              name,
              "a value of "
                  + value.length()
                  + " characters, more than the maximum "
                  + limits.maxParameterChars());
        }
      }
    }
    int filters = params.getOrDefault("filter", List.of()).size();
    if (filters > limits.maxFilters()) {
      throw QueryException.badParameter(
          "filter", "given " + filters + " times, more than the maximum " + limits.maxFilters());
    }
  }

  /**
   * Refuses a range holding more buckets of {@code granularity} than the maximum, naming the finest
   * granularity of the view whose buckets fit. This is the range limit: it counts the answer, not
   * the stored windows read for it (those are bounded by the stored groups and the timeout).
   */
  private void checkBuckets(
      ViewDefinition view, Instant from, Instant to, Granularity granularity) {
    long buckets = granularity.buckets(from, to);
    if (buckets <= limits.maxBuckets()) {
      return;
    }
    String fits = "granularity=all";
    for (Granularity coarser : Granularity.values()) {
      if (coarser.fits(view.window()) && coarser.buckets(from, to) <= limits.maxBuckets()) {
        fits = "granularity=" + coarser.id() + (coarser == Granularity.ALL ? "" : " or coarser");
        break;
      }
    }
    throw QueryException.badParameter(
        "granularity",
        "the range holds "
            + buckets
            + " buckets of "
            + granularity.id()
            + ", more than the maximum "
            + limits.maxBuckets()
            + " (serve.max-query-buckets); use "
            + fits
            + ", or narrow from/to");
  }

  private static Instant instant(Map<String, List<String>> params, String name) {
    String text = single(params, name);
    if (text == null || text.isBlank()) {
      throw QueryException.badParameter(
          name, "required: an ISO-8601 instant such as 2026-11-25T14:00:00Z");
    }
    Instant instant;
    try {
      instant = Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw QueryException.badParameter(
          name, "'" + shown(text) + "' is not an ISO-8601 instant such as 2026-11-25T14:00:00Z");
    }
    if (instant.isBefore(QueryLimits.EARLIEST) || instant.isAfter(QueryLimits.LATEST)) {
      throw QueryException.badParameter(
          name,
          "'"
              + shown(text)
              + "' is outside the accepted instants "
              + QueryLimits.EARLIEST
              + " to "
              + QueryLimits.LATEST);
    }
    return instant;
  }

  /** {@code text} as quoted in an error message: at most 100 characters. */
  private static String shown(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }

  private static Granularity granularity(ViewDefinition view, String text) {
    if (text == null) {
      return Granularity.of(view.window());
    }
    Granularity granularity;
    try {
      granularity = Granularity.parse(text);
    } catch (IllegalArgumentException e) {
      throw QueryException.badParameter("granularity", e.getMessage());
    }
    if (!granularity.fits(view.window())) {
      throw QueryException.badParameter(
          "granularity",
          "'"
              + text
              + "' is finer than the window "
              + view.window().id()
              + " of view '"
              + view.name()
              + "'");
    }
    return granularity;
  }

  private static List<String> names(
      Map<String, List<String>> params,
      String parameter,
      List<String> known,
      String what,
      ViewDefinition view) {
    String text = single(params, parameter);
    Set<String> names = new LinkedHashSet<>();
    if (text != null) {
      for (String part : text.split(",", -1)) {
        String name = part.trim();
        if (name.isEmpty()) {
          continue;
        }
        if (!known.contains(name)) {
          throw QueryException.badParameter(
              parameter,
              "'"
                  + name
                  + "' is not a "
                  + what
                  + " of view '"
                  + view.name()
                  + "' ("
                  + String.join(", ", known)
                  + ")");
        }
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  private static Map<String, Set<String>> filters(ViewDefinition view, List<String> texts) {
    Map<String, Set<String>> filters = new LinkedHashMap<>();
    for (String text : texts) {
      int colon = text.indexOf(':');
      if (colon <= 0) {
        throw QueryException.badParameter(
            "filter", "'" + shown(text) + "' is not dim:value (e.g. country:DE)");
      }
      String dim = text.substring(0, colon).trim();
      if (!view.dimensions().contains(dim)) {
        throw QueryException.badParameter(
            "filter",
            "'"
                + dim
                + "' is not a dimension of view '"
                + view.name()
                + "' ("
                + String.join(", ", view.dimensions())
                + ")");
      }
      filters.computeIfAbsent(dim, d -> new LinkedHashSet<>()).add(text.substring(colon + 1));
    }
    return filters;
  }

  private static List<Query.Order> orderBy(
      ViewDefinition view, String text, List<String> groupBy, List<String> metrics) {
    List<Query.Order> orders = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return orders;
    }
    for (String part : text.split(",")) {
      String field = part.trim();
      boolean descending = false;
      if (field.startsWith("-")) {
        descending = true;
        field = field.substring(1);
      } else if (field.endsWith(":desc") || field.endsWith(":asc")) {
        descending = field.endsWith(":desc");
        field = field.substring(0, field.lastIndexOf(':'));
      }
      if (!field.equals(WINDOW_START) && !groupBy.contains(field) && !metrics.contains(field)) {
        throw QueryException.badParameter(
            "orderBy",
            "'"
                + field
                + "' is neither window_start, a groupBy dimension "
                + groupBy
                + " nor a returned metric "
                + metrics);
      }
      if (metrics.contains(field) && !groupBy.contains(field)) {
        MetricType type = view.metric(field).type();
        if (type == MetricType.QUANTILES || type == MetricType.TOP_K) {
          throw QueryException.badParameter(
              "orderBy",
              "metric '"
                  + field
                  + "' is of type "
                  + type.id()
                  + "; order by a count, sum, min, max or distinct metric");
        }
      }
      orders.add(new Query.Order(field, descending));
    }
    return orders;
  }

  private int limit(String text) {
    if (text == null) {
      return 0;
    }
    try {
      int limit = Integer.parseInt(text.trim());
      if (limit >= 1 && limit <= limits.maxRows()) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw QueryException.badParameter(
        "limit", "'" + shown(text) + "' is not a whole number within 1.." + limits.maxRows());
  }

  private static String single(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw QueryException.badParameter(name, "given " + values.size() + " times; give it once");
    }
    return values.get(0);
  }
}
