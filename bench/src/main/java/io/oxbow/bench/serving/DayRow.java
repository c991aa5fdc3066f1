package io.oxbow.bench.serving;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One row of a "by day, grouped by country" answer with its exact metrics, as both sides of the
 * year benchmark give it; rows compare by value ({@code bytes} normalized, so {@code 12} equals
 * {@code 12.0}).
 *
 * @param day the day's start, ISO-8601 UTC ({@code 2025-01-01T00:00:00Z})
 * @param country the country, {@code null} for requests without one
 * @param requests the {@code requests} count
 * @param bytes the {@code bytes} sum
 */
record DayRow(String day, String country, long requests, BigDecimal bytes) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Orders rows by day, then country (no country first). */
  static final Comparator<DayRow> ORDER =
      Comparator.comparing(DayRow::day)
          .thenComparing(DayRow::country, Comparator.nullsFirst(Comparator.naturalOrder()));

  /** Normalizes {@code bytes}. */
  DayRow {
    bytes = bytes.signum() == 0 ? BigDecimal.ZERO : bytes.stripTrailingZeros();
  }

  /** The rows of a serving API query answer ({@code rows[].window_start, dims, metrics}). */
  static List<DayRow> fromServingJson(String body) throws IOException {
    JsonNode rows = JSON.readTree(body).path("rows");
    List<DayRow> out = new ArrayList<>(rows.size());
    for (JsonNode row : rows) {
      JsonNode country = row.path("dims").path("country");
      out.add(
          new DayRow(
              row.path("window_start").asText(),
              country.isTextual() ? country.asText() : null,
              row.path("metrics").path("requests").longValue(),
              row.path("metrics").path("bytes").decimalValue()));
    }
    out.sort(ORDER);
    return out;
  }
}
