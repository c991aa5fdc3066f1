package io.oxbow.views;

import java.util.List;

/**
 * One view as defined in a views file: what to fold, grouped how, into which metrics. Immutable.
 * Build a {@link ViewFolder} from it to check it against its source schema and fold records.
 *
 * @param name view name (lower case letters, digits, underscores; used in topic names
 *     views.speed.&lt;name&gt;, Parquet paths and URLs)
 * @param source the records it folds
 * @param window tumbling event-time window size
 * @param dimensions names of fields or derived values to group by, in order (may be empty)
 * @param filter filter expression (see {@link io.oxbow.views.record.Filter}); null for none
 * @param metrics the metrics, in order; names unique
 */
public record ViewDefinition(
    String name,
    Source source,
    WindowSize window,
    List<String> dimensions,
    String filter,
    List<MetricSpec> metrics) {

  /** Copies the lists. */
  public ViewDefinition {
    dimensions = List.copyOf(dimensions);
    metrics = List.copyOf(metrics);
  }

  /**
   * This definition with another window and a subset of its dimensions: the target of a roll-up.
   * Metrics, source and filter stay the same.
   */
  public ViewDefinition rolledUp(WindowSize coarser, List<String> keptDimensions) {
    return new ViewDefinition(name, source, coarser, keptDimensions, filter, metrics);
  }

  /** The metric named {@code metric}, or null. */
  public MetricSpec metric(String metric) {
    for (MetricSpec spec : metrics) {
      if (spec.name().equals(metric)) {
        return spec;
      }
    }
    return null;
  }
}
