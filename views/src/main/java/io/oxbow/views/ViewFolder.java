package io.oxbow.views;

import io.oxbow.views.metric.MetricState;
import io.oxbow.views.metric.MetricValue;
import io.oxbow.views.record.FieldValues;
import io.oxbow.views.record.Filter;
import io.oxbow.views.record.RecordFields;
import io.oxbow.views.record.ValueExtractor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * Folds records into one view: the single implementation the speed layer (a Kafka Streams
 * aggregator), the batch layer (a fold over Parquet rows) and the serving API (a merge of batch and
 * speed rows) all call, so the layers cannot drift.
 *
 * <p>Input records are Avro {@link GenericRecord}s of the view's {@link Source} (specific classes
 * such as {@code AccessLogEvent} implement it; generic records read back from Parquet work the
 * same): fields are read by name. A typical fold:
 *
 * <pre>{@code
 * ViewFolder traffic = ViewCatalog.defaults().folder("traffic");
 * if (traffic.accepts(event)) {
 *   GroupKey key = traffic.key(event);
 *   Aggregate agg = traffic.add(store.getOrDefault(key, traffic.identity()), event);
 * }
 * }</pre>
 *
 * <p>Thread-safe and immutable; aggregates are not (see {@link Aggregate}).
 */
public final class ViewFolder {
  private final ViewDefinition definition;
  private final List<ValueExtractor> dimensions;
  private final List<ValueExtractor> metricFields;
  private final Filter filter;

  private ViewFolder(ViewDefinition definition) {
    this.definition = definition;
    this.dimensions =
        definition.dimensions().stream()
            .map(d -> RecordFields.resolve(definition.source(), d))
            .toList();
    List<ValueExtractor> fields = new ArrayList<>();
    for (MetricSpec metric : definition.metrics()) {
      fields.add(
          metric.field() == null
              ? null
              : RecordFields.resolve(definition.source(), metric.field()));
    }
    this.metricFields = fields;
    this.filter =
        definition.filter() == null
            ? null
            : Filter.parse(definition.filter(), n -> RecordFields.resolve(definition.source(), n));
  }

  /**
   * A folder for {@code definition}.
   *
   * @throws ViewDefinitionException naming the view and field when the definition is invalid
   */
  public static ViewFolder of(ViewDefinition definition) {
    DefinitionChecks.check(definition);
    return new ViewFolder(definition);
  }

  /** The view's definition. */
  public ViewDefinition definition() {
    return definition;
  }

  /** The view's name. */
  public String name() {
    return definition.name();
  }

  /** True when {@code record} passes the view's filter (always true without a filter). */
  public boolean accepts(GenericRecord record) {
    try {
      return filter == null || filter.test(record);
    } catch (InvalidRecordException e) {
      throw invalid("filter", e);
    }
  }

  /** The group {@code record} falls into: window of its {@code event_time}, dimension values. */
  public GroupKey key(GenericRecord record) {
    long start;
    try {
      start = definition.window().startOf(FieldValues.eventTime(record));
    } catch (InvalidRecordException e) {
      throw invalid("event_time", e);
    }
    List<String> values = new ArrayList<>(dimensions.size());
    for (ValueExtractor dimension : dimensions) {
      try {
        values.add(FieldValues.asText(dimension.extract(record)));
      } catch (InvalidRecordException e) {
        throw invalid("dimension '" + dimension.name() + "'", e);
      }
    }
    return new GroupKey(start, start + definition.window().millis(), values);
  }

  /** A new empty aggregate: zero records, every metric at its identity. */
  public Aggregate identity() {
    MetricState[] states = new MetricState[definition.metrics().size()];
    for (int i = 0; i < states.length; i++) {
      MetricSpec spec = definition.metrics().get(i);
      states[i] = spec.type().identity(spec);
    }
    return new Aggregate(definition, 0, states);
  }

  /**
   * Folds {@code record} into {@code aggregate} (in place) and returns it. A record the filter
   * rejects leaves it unchanged, and so does one that cannot be folded (the exception comes before
   * any metric changes). The caller picks the aggregate by {@link #key(GenericRecord)}.
   *
   * @throws InvalidRecordException naming view, metric and field when a value cannot be folded
   */
  public Aggregate add(Aggregate aggregate, GenericRecord record) {
    checkSameMetrics(aggregate);
    if (!accepts(record)) {
      return aggregate;
    }
    // read and check every value first, so a record that cannot be folded changes nothing
    Object[] values = new Object[metricFields.size()];
    for (int i = 0; i < values.length; i++) {
      ValueExtractor field = metricFields.get(i);
      try {
        values[i] = field == null ? null : field.extract(record);
        aggregate.stateAt(i).check(values[i]);
      } catch (InvalidRecordException | IllegalArgumentException e) {
        throw invalid("metric '" + definition.metrics().get(i).name() + "'", e);
      }
    }
    for (int i = 0; i < values.length; i++) {
      aggregate.stateAt(i).add(values[i]);
    }
    aggregate.countRecords(1);
    return aggregate;
  }

  /**
   * Merges {@code right} into {@code left} (in place; right is not modified) and returns left.
   * Associative and commutative; {@link #identity()} is neutral.
   *
   * @throws ViewDefinitionException when the aggregates have different metrics than this view
   */
  public Aggregate merge(Aggregate left, Aggregate right) {
    checkSameMetrics(left);
    checkSameMetrics(right);
    for (int i = 0; i < definition.metrics().size(); i++) {
      left.stateAt(i).merge(right.stateAt(i));
    }
    left.countRecords(right.records());
    return left;
  }

  /**
   * Folds every record into its group: filter, key, add. The map iterates in key order.
   *
   * @throws InvalidRecordException at the first record that cannot be folded
   */
  public Map<GroupKey, Aggregate> fold(Iterable<? extends GenericRecord> records) {
    Map<GroupKey, Aggregate> groups = new HashMap<>();
    for (GenericRecord record : records) {
      if (accepts(record)) {
        add(groups.computeIfAbsent(key(record), k -> identity()), record);
      }
    }
    return Rollups.sorted(groups);
  }

  /** The dimension names of this view mapped to the values in {@code key}, in order. */
  public Map<String, String> dimensions(GroupKey key) {
    Map<String, String> named = new LinkedHashMap<>();
    for (int i = 0; i < definition.dimensions().size(); i++) {
      named.put(definition.dimensions().get(i), key.dimensions().get(i));
    }
    return named;
  }

  /** Every metric's read-out by metric name, in definition order. */
  public Map<String, MetricValue> readOut(Aggregate aggregate) {
    checkSameMetrics(aggregate);
    Map<String, MetricValue> values = new LinkedHashMap<>();
    for (int i = 0; i < definition.metrics().size(); i++) {
      values.put(definition.metrics().get(i).name(), aggregate.stateAt(i).readOut());
    }
    return values;
  }

  /**
   * A folder for the same view at a coarser window and a subset of its dimensions: the target of
   * {@link #rollUp}.
   *
   * @throws ViewDefinitionException when the window is not a multiple of this view's window or a
   *     dimension is not one of this view's
   */
  public ViewFolder rolledUp(WindowSize coarser, List<String> keptDimensions) {
    ViewFolder target = of(definition.rolledUp(coarser, keptDimensions));
    Rollups.check(this, target);
    return target;
  }

  /**
   * Rolls groups of this view up into {@code target}'s coarser windows and fewer dimensions: groups
   * falling into the same target group merge (so dropping a dimension merges its groups). Input
   * aggregates are not modified. Target metrics are picked by name.
   *
   * @throws ViewDefinitionException when target is not a roll-up of this view (other source or
   *     filter, finer window, new dimension, or a metric this view lacks or defines differently)
   */
  public Map<GroupKey, Aggregate> rollUp(Map<GroupKey, Aggregate> groups, ViewFolder target) {
    return Rollups.rollUp(this, groups, target);
  }

  /** Conversions of keys and aggregates to their Avro and binary forms. */
  public AggregateCodec codec() {
    return new AggregateCodec(this);
  }

  void checkSameMetrics(Aggregate aggregate) {
    if (aggregate.definition() != definition
        && !aggregate.definition().metrics().equals(definition.metrics())) {
      throw new ViewDefinitionException(
          "view '"
              + name()
              + "': aggregate of view '"
              + aggregate.definition().name()
              + "' has other metrics "
              + aggregate.definition().metrics());
    }
  }

  private InvalidRecordException invalid(String what, RuntimeException cause) {
    return new InvalidRecordException(
        "view '" + name() + "': " + what + ": " + cause.getMessage(), cause);
  }
}
