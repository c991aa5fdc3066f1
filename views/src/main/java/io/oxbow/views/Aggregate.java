package io.oxbow.views;

import io.oxbow.views.metric.MetricState;
import java.util.List;

/**
 * The folded state of one view group: the number of records folded in and one {@link MetricState}
 * per metric of its {@link ViewDefinition}, in definition order.
 *
 * <p>An aggregate is a mutable accumulator (the sketches inside are): {@link ViewFolder#add} and
 * {@link ViewFolder#merge} update their first argument in place and return it, and never modify the
 * second. This is what a Kafka Streams aggregator expects and avoids copying a sketch per record;
 * call {@link #copy()} to keep a snapshot.
 */
public final class Aggregate {
  private final ViewDefinition definition;
  private final MetricState[] states;
  private long records;

  Aggregate(ViewDefinition definition, long records, MetricState[] states) {
    this.definition = definition;
    this.records = records;
    this.states = states;
  }

  /** The definition whose metrics this aggregate holds. */
  public ViewDefinition definition() {
    return definition;
  }

  /** Number of input records folded in (after the view's filter). */
  public long records() {
    return records;
  }

  /** The states, in metric definition order. */
  public List<MetricState> states() {
    return List.of(states);
  }

  /**
   * The state of metric {@code metric}.
   *
   * @throws IllegalArgumentException when the view has no such metric
   */
  public MetricState state(String metric) {
    List<MetricSpec> metrics = definition.metrics();
    for (int i = 0; i < metrics.size(); i++) {
      if (metrics.get(i).name().equals(metric)) {
        return states[i];
      }
    }
    throw new IllegalArgumentException(
        "view '" + definition.name() + "' has no metric '" + metric + "'");
  }

  /** An independent deep copy. */
  public Aggregate copy() {
    MetricState[] copies = new MetricState[states.length];
    for (int i = 0; i < states.length; i++) {
      copies[i] = states[i].copy();
    }
    return new Aggregate(definition, records, copies);
  }

  MetricState stateAt(int index) {
    return states[index];
  }

  void countRecords(long more) {
    records = Math.addExact(records, more);
  }

  @Override
  public String toString() {
    return "Aggregate[" + definition.name() + ", records=" + records + "]";
  }
}
