package io.oxbow.serving.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link Query}, in the JSON shape of {@code GET /api/v1/views/{view}/query}:
 * {@code {"view", "watermark", "rows": [{"window_start", "dims", "metrics"}], "sources": {"batch":
 * {"from", "to"}, "speed": {"from", "to"}}}}, and {@code "folded": {"groups": N}} when the cap on
 * groups per window folded N groups of the windows read into {@code (other)}, and {@code
 * "retained": [{"from", "to", "tier", "kept_from", "reason"}]} when retention removed part of the
 * range at the granularity asked (that part has no rows; the rest is answered). {@link #writeJson}
 * streams that document; {@link #rows()} gives the same rows as objects.
 */
public final class QueryResult {
  private final String view;
  private final String watermark;
  private final List<RowData> rows;
  private final Sources sources;
  private final long foldedGroups;
  private final List<Retained> retained;

  QueryResult(
      String view, String watermark, List<RowData> rows, Sources sources, long foldedGroups) {
    this(view, watermark, rows, sources, foldedGroups, List.of());
  }

  QueryResult(
      String view,
      String watermark,
      List<RowData> rows,
      Sources sources,
      long foldedGroups,
      List<Retained> retained) {
    this.view = view;
    this.watermark = watermark;
    this.rows = List.copyOf(rows);
    this.sources = sources;
    this.foldedGroups = foldedGroups;
    this.retained = List.copyOf(retained);
  }

  /**
   * The parts of the range retention removed at the granularity asked, in time order (empty: none);
   * they have no rows.
   */
  public List<Retained> retained() {
    return retained;
  }

  /** Groups of the windows read that were folded into {@code (other)} groups (0: none). */
  public long foldedGroups() {
    return foldedGroups;
  }

  /** The view's name. */
  public String view() {
    return view;
  }

  /** The batch watermark used (ISO-8601), null when there is none yet. */
  public String watermark() {
    return watermark;
  }

  /** Which part of the range each layer answered (a layer that answered nothing is null). */
  public Sources sources() {
    return sources;
  }

  /** The rows, sorted and limited, with metrics in their JSON form ({@link MetricJson#of}). */
  public List<Row> rows() {
    List<Row> out = new ArrayList<>(rows.size());
    for (RowData row : rows) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      row.metrics().forEach((name, value) -> metrics.put(name, MetricJson.of(value)));
      out.add(
          new Row(Instant.ofEpochMilli(row.key().windowStart()).toString(), row.dims(), metrics));
    }
    return out;
  }

  /** Writes the answer as one JSON object to {@code json} (which is not closed). */
  public void writeJson(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("view", view);
    json.writeStringField("watermark", watermark);
    json.writeArrayFieldStart("rows");
    RowJson rowJson = new RowJson();
    for (RowData row : rows) {
      rowJson.write(json, row);
    }
    json.writeEndArray();
    json.writeObjectFieldStart("sources");
    writeRange(json, "batch", sources.batch());
    writeRange(json, "speed", sources.speed());
    json.writeArrayFieldStart("batch_tiers");
    for (TierRange tier : sources.batchTiers()) {
      json.writeStartObject();
      json.writeStringField("tier", tier.tier());
      json.writeStringField("from", tier.from());
      json.writeStringField("to", tier.to());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
    if (foldedGroups > 0) {
      json.writeObjectFieldStart("folded");
      json.writeNumberField("groups", foldedGroups);
      json.writeEndObject();
    }
    if (!retained.isEmpty()) {
      json.writeArrayFieldStart("retained");
      for (Retained gone : retained) {
        json.writeStartObject();
        json.writeStringField("from", gone.from());
        json.writeStringField("to", gone.to());
        json.writeStringField("tier", gone.tier());
        json.writeStringField("kept_from", gone.keptFrom());
        json.writeStringField("reason", gone.reason());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  private static void writeRange(JsonGenerator json, String name, Range range) throws IOException {
    if (range == null) {
      json.writeNullField(name);
      return;
    }
    json.writeObjectFieldStart(name);
    json.writeStringField("from", range.from());
    json.writeStringField("to", range.to());
    json.writeEndObject();
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
   * @param batchTiers the parts of {@code batch} in time order, each with the window of the
   *     aggregates read for it: the view's own ({@code 1m}) or a roll-up tier's ({@code 1h}, {@code
   *     1d})
   */
  public record Sources(
      Range batch, Range speed, @JsonProperty("batch_tiers") List<TierRange> batchTiers) {
    /** Copies the list. */
    public Sources {
      batchTiers = List.copyOf(batchTiers);
    }

    /** Sources without tiers named. */
    public Sources(Range batch, Range speed) {
      this(batch, speed, List.of());
    }
  }

  /**
   * A part of the batch range and the window of the aggregates that answered it.
   *
   * @param tier {@code 1h} or {@code 1d} for a roll-up tier, else the view's window ({@code 1m})
   * @param from inclusive, ISO-8601
   * @param to exclusive, ISO-8601
   */
  public record TierRange(String tier, String from, String to) {}

  /**
   * A part of the range that retention removed at the granularity asked: no coarser tier the
   * granularity allows holds it.
   *
   * @param from inclusive, ISO-8601
   * @param to exclusive, ISO-8601
   * @param tier the tier that would have answered it: the view's own window ({@code 1m}) or a
   *     roll-up tier's ({@code 1h}, {@code 1d})
   * @param keptFrom where that tier's kept buckets start, ISO-8601
   * @param reason what removed it, naming the batch loader's setting
   */
  public record Retained(
      String from,
      String to,
      String tier,
      @JsonProperty("kept_from") String keptFrom,
      String reason) {}

  /**
   * A half-open time range.
   *
   * @param from inclusive, ISO-8601
   * @param to exclusive, ISO-8601
   */
  public record Range(String from, String to) {}
}
