package io.oxbow.views;

import io.oxbow.contracts.TopicNames;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.Visit;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * The input a view folds: a topic of the pipeline (and its batch dataset) with its Avro schema.
 * Definitions name a source by its default topic name, e.g. {@code source: access-logs.enriched}.
 */
public enum Source {
  /** Parsed and enriched access-log entries ({@link AccessLogEvent}). */
  ACCESS_LOGS(TopicNames.ACCESS_LOGS_ENRICHED, AccessLogEvent.getClassSchema()),
  /** Orders joined with the client's page views ({@link AttributedOrder}). */
  ORDERS(TopicNames.ORDERS_ATTRIBUTED, AttributedOrder.getClassSchema()),
  /**
   * Closed visits ({@link Visit}), windowed by their start ({@code start_time}): the stream
   * processor's {@code visits} topic in the speed layer, the batch layer's own sessionization of
   * the landed access logs in the batch layer.
   */
  VISITS(TopicNames.VISITS, Visit.getClassSchema());

  private final String id;
  private final Schema schema;

  Source(String id, Schema schema) {
    this.id = id;
    this.schema = schema;
  }

  /** The name used in definitions, which is the default topic name (e.g. access-logs.enriched). */
  public String id() {
    return id;
  }

  /** The Avro schema whose records the view folds; field names are validated against it. */
  public Schema schema() {
    return schema;
  }

  /**
   * The source named {@code id} in a definition.
   *
   * @throws IllegalArgumentException listing the valid names when none matches
   */
  public static Source fromId(String id) {
    for (Source source : values()) {
      if (source.id.equals(id)) {
        return source;
      }
    }
    throw new IllegalArgumentException(
        "unknown source '"
            + id
            + "' (one of "
            + Arrays.stream(values()).map(Source::id).collect(Collectors.joining(", "))
            + ")");
  }
}
