package io.oxbow.serving.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link Query}, in the JSON shape of {@code GET /api/v1/views/{view}/query}:
 * {@code {"view", "watermark", "rows": [{"window_start", "dims", "metrics"}], "sources": {"batch":
 * {"from", "to"}, "speed": {"from", "to"}}}}.
 *
 * @param view the view's name
 * @param watermark the batch watermark used (ISO-8601), null when there is none yet
 * @param rows the rows, sorted and limited
 * @param sources which part of the range each layer answered (a layer that answered nothing is
 *     null)
 */
public record QueryResult(String view, String watermark, List<Row> rows, Sources sources) {
  /** Copies the rows. */
  public QueryResult {
    rows = List.copyOf(rows);
  }

  /**
   * One bucket of one group.
   *
   * @param windowStart bucket start, ISO-8601
   * @param dims grouped dimension values (null for a missing value)
   * @param metrics read-out per returned metric (see {@link MetricJson})
   */
  public record Row(
      @JsonProperty("window_start") String windowStart,
      Map<String, String> dims,
      Map<String, Object> metrics) {}

  /**
   * The ranges answered by each layer.
   *
   * @param batch windows read from the batch view, or null
   * @param speed windows read from the speed view, or null
   */
  public record Sources(Range batch, Range speed) {}

  /**
   * A half-open time range.
   *
   * @param from inclusive, ISO-8601
   * @param to exclusive, ISO-8601
   */
  public record Range(String from, String to) {}
}
