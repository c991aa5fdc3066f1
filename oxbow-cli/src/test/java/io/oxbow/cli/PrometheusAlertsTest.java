package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.internals.FetchMetricsRegistry;
import org.apache.kafka.common.MetricNameTemplate;
import org.junit.jupiter.api.Test;

/**
 * The example alert rules in {@code docs/prometheus/oxbow-alerts.yml} parse as Prometheus rule
 * groups, and every metric their expressions name is one that Oxbow's code registers (as Micrometer
 * exports it to Prometheus), so that a renamed meter cannot leave the rules silently empty.
 */
class PrometheusAlertsTest {
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", ".."));
  private static final Path RULES = ROOT.resolve("docs/prometheus/oxbow-alerts.yml");
  private static final Pattern REGISTERED =
      Pattern.compile(
          "(Counter|Gauge|Timer|DistributionSummary)\\.builder\\(\\s*\"([a-z][a-z0-9.]*)\""
              + "|\\.(counter|gauge|timer)\\(\\s*\"([a-z][a-z0-9.]*)\"");
  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset");

  @Test
  void rulesAreGroupsOfNamedAlertsWithExpressionsAndSummaries() throws IOException {
    JsonNode groups = rules().path("groups");

    assertThat(groups.isArray() && !groups.isEmpty()).as("groups").isTrue();
    for (JsonNode group : groups) {
      assertThat(group.path("name").asText()).isNotBlank();
      assertThat(group.path("rules").isEmpty()).as(group.path("name").asText()).isFalse();
      for (JsonNode rule : group.path("rules")) {
        assertThat(rule.path("alert").asText()).isNotBlank();
        assertThat(rule.path("expr").asText()).as(rule.path("alert").asText()).isNotBlank();
        assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
      }
    }
  }

  @Test
  void everyExpressionNamesOnlyMetricsTheCodeRegisters() throws IOException {
    Set<String> registered = registeredMetrics();
    List<String> unknown = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    for (JsonNode rule : rules().path("groups").get(0).path("rules")) {
      for (String metric : metricsIn(rule.path("expr").asText())) {
        used.add(metric);
        if (!registered.contains(metric)) {
          unknown.add(rule.path("alert").asText() + ": " + metric);
        }
      }
    }

    assertThat(used)
        .contains(
            "kafka_consumer_fetch_manager_records_lag_max",
            "oxbow_batch_watermark",
            "oxbow_stream_dlq_total",
            "http_server_requests_seconds_count");
    assertThat(unknown).as("metrics no Oxbow code registers").isEmpty();
  }

  @Test
  void theMetricScanFindsAMetricOnlyWhenItIsRegistered() {
    assertThat(metricsIn("sum by (service) (rate(foo_total{status=\"503\"}[5m])) > 0.05"))
        .containsExactly("foo_total");
    assertThat(registeredMetrics())
        .contains("oxbow_stream_lines_total", "ingest_request_latency_seconds_count")
        .doesNotContain("oxbow_stream_lines", "foo_total");
  }

  private static JsonNode rules() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
  }

  /** The metric names of a PromQL expression: identifiers that are not functions or keywords. */
  static Set<String> metricsIn(String expr) {
    String bare =
        expr.replaceAll("\"[^\"]*\"", "")
            .replaceAll("\\{[^}]*\\}", "")
            .replaceAll("\\[[^\\]]*\\]", "")
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(bare);
    while (m.find()) {
      String token = m.group().replaceAll("[\\s(]", "");
      boolean function = m.group(1) != null;
      if (!function && !PROMQL_WORDS.contains(token)) {
        out.add(token);
      }
    }
    return out;
  }

  /**
   * The Prometheus names of the meters registered in the services' main code, as Micrometer exports
   * them (counters {@code _total}, timers {@code _seconds_count/_sum/_max}), plus the Kafka
   * consumer's records-lag-max that the stream processor's Kafka Streams metrics binder exports.
   */
  static Set<String> registeredMetrics() {
    Set<String> names = new TreeSet<>();
    StringBuilder allCode = new StringBuilder();
    try (Stream<Path> files = Files.walk(ROOT)) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/"))
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/bench/"))
          .forEach(p -> allCode.append(read(p)).append('\n'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher m = REGISTERED.matcher(allCode);
    while (m.find()) {
      String type = m.group(1) != null ? m.group(1) : m.group(3);
      String name = (m.group(2) != null ? m.group(2) : m.group(4)).replace('.', '_');
      switch (type) {
        case "Counter", "counter" -> names.add(name + "_total");
        case "Timer", "timer" -> {
          names.add(name + "_seconds_count");
          names.add(name + "_seconds_sum");
          names.add(name + "_seconds_max");
        }
        case "DistributionSummary" -> {
          names.add(name + "_count");
          names.add(name + "_sum");
          names.add(name + "_max");
        }
        default -> names.add(name);
      }
    }
    // the Kafka consumer's own metric names, in the "consumer" group its clients register
    if (allCode.indexOf("new KafkaStreamsMetrics(") >= 0) {
      names.add(micrometerKafkaName(new FetchMetricsRegistry(Set.of(), "consumer").recordsLagMax));
    }
    return names;
  }

  /** How Micrometer's Kafka binder names a client metric, in Prometheus form. */
  private static String micrometerKafkaName(MetricNameTemplate metric) {
    String group = metric.group().replaceFirst("-metrics$", "");
    return ("kafka." + group + "." + metric.name()).replaceAll("[.-]", "_");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
