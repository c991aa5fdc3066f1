package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.views.metric.MetricValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The default views over the real elastic sample agree with a direct computation over the raw
 * lines, written here without the views module or the test's log reader: split each line on its
 * quotes, read the hour from the timestamp text, status and bytes from the fields after the
 * request.
 */
class ElasticSampleTest {
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  /** hour text (17/May/2015:10) -> status class (2xx) -> {requests, bytes}. */
  private static Map<String, Map<String, long[]>> direct(List<String> lines) {
    Map<String, Map<String, long[]>> byHour = new TreeMap<>();
    for (String line : lines) {
      String[] quoted = line.split("\"");
      String stamp = quoted[0].substring(quoted[0].indexOf('[') + 1, quoted[0].indexOf(']'));
      assertThat(stamp).endsWith("+0000");
      String[] afterRequest = quoted[2].trim().split(" ");
      String statusClass = afterRequest[0].charAt(0) + "xx";
      long bytes = afterRequest[1].equals("-") ? 0 : Long.parseLong(afterRequest[1]);
      long[] totals =
          byHour
              .computeIfAbsent(stamp.substring(0, 14), h -> new TreeMap<>())
              .computeIfAbsent(statusClass, c -> new long[2]);
      totals[0]++;
      totals[1] += bytes;
    }
    return byHour;
  }

  @Test
  void shouldCountRequestsBytesAndStatusClassesPerHourLikeADirectComputation() throws IOException {
    List<String> lines = Files.readAllLines(SampleData.ELASTIC, StandardCharsets.UTF_8);
    Map<String, Map<String, long[]>> expected = direct(lines);

    ViewFolder traffic = ViewCatalog.defaults().folder("traffic");
    ViewFolder hourlyByClass = traffic.rolledUp(WindowSize.ONE_HOUR, List.of("status_class"));
    Map<GroupKey, Aggregate> hourly =
        traffic.rollUp(traffic.fold(SampleData.elasticEvents()), hourlyByClass);

    Map<String, Map<String, long[]>> actual = new TreeMap<>();
    for (Map.Entry<GroupKey, Aggregate> group : hourly.entrySet()) {
      Map<String, MetricValue> metrics = hourlyByClass.readOut(group.getValue());
      long requests = ((MetricValue.Exact) metrics.get("requests")).value().longValueExact();
      BigDecimal bytes = ((MetricValue.Exact) metrics.get("bytes")).value();
      actual
          .computeIfAbsent(
              HOUR.format(Instant.ofEpochMilli(group.getKey().windowStart())), h -> new TreeMap<>())
          .put(group.getKey().dimensions().get(0), new long[] {requests, bytes.longValueExact()});
    }

    assertThat(actual.keySet()).hasSize(expected.size()).isEqualTo(expected.keySet());
    for (String hour : expected.keySet()) {
      assertThat(actual.get(hour)).as(hour).containsOnlyKeys(expected.get(hour).keySet());
      expected
          .get(hour)
          .forEach(
              (statusClass, totals) ->
                  assertThat(actual.get(hour).get(statusClass))
                      .as("%s %s {requests, bytes}", hour, statusClass)
                      .containsExactly(totals));
    }
    assertThat(
            expected.values().stream().flatMap(m -> m.values().stream()).mapToLong(t -> t[0]).sum())
        .isEqualTo(10_000);
  }

  @Test
  void shouldCountErrorsAndPageViewsOfTheWholeSample() throws IOException {
    List<String> lines = Files.readAllLines(SampleData.ELASTIC, StandardCharsets.UTF_8);
    Map<String, Long> errorsByStatus = new HashMap<>();
    for (String line : lines) {
      String status = line.split("\"")[2].trim().split(" ")[0];
      if (Integer.parseInt(status) >= 400) {
        errorsByStatus.merge(status, 1L, Long::sum);
      }
    }
    ViewCatalog views = ViewCatalog.defaults();

    ViewFolder errors = views.folder("errors");
    Map<String, Long> counted = new HashMap<>();
    errors
        .fold(SampleData.elasticEvents())
        .forEach(
            (key, aggregate) ->
                counted.merge(key.dimensions().get(0), aggregate.records(), Long::sum));
    ViewFolder pages = views.folder("pages");
    long pageViews =
        pages.fold(SampleData.elasticEvents()).values().stream()
            .mapToLong(a -> ((MetricValue.Exact) pages.readOut(a).get("views")).value().longValue())
            .sum();

    assertThat(counted).isEqualTo(errorsByStatus).containsEntry("404", 213L);
    assertThat(pageViews).isEqualTo(lines.size());
  }
}
