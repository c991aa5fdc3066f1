package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.views.metric.MetricValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The examples in docs/views.md are valid: its YAML loads and its code runs. */
class DocsExamplesTest {
  private static final Path DOC = Path.of(System.getProperty("oxbow.root"), "docs", "views.md");
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  private static List<String> yamlBlocks() throws IOException {
    Matcher m = YAML_BLOCK.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1).stripIndent());
    }
    return blocks;
  }

  @Test
  void shouldLoadEveryViewsFileOfTheDocs() throws IOException {
    List<String> names = new ArrayList<>();
    for (String block : yamlBlocks()) {
      if (block.lines().anyMatch(line -> line.startsWith("views:"))) {
        names.addAll(ViewCatalog.parse(block, "docs/views.md").names());
      } else if (block.startsWith("metrics:")) {
        String view =
            "views:\n  - name: doc_metrics\n    source: access-logs.enriched\n    window: 1m\n"
                + block.indent(4);
        names.addAll(ViewCatalog.parse(view, "docs/views.md").names());
      } else if (block.startsWith("filter:")) {
        String view =
            "views:\n  - name: doc_filter\n    source: access-logs.enriched\n    window: 1h\n"
                + "    metrics: [{name: n, type: count}]\n"
                + block.indent(4);
        names.addAll(ViewCatalog.parse(view, "docs/views.md").names());
      }
    }
    assertThat(names).contains("errors", "bot_errors", "doc_metrics", "doc_filter");
  }

  @Test
  void shouldRunTheCodeExampleOfTheDocs() {
    List<AccessLogEvent> records = SampleData.elasticEvents().subList(0, 500);
    AccessLogEvent record = records.get(0);
    Map<GroupKey, Aggregate> current = new java.util.HashMap<>();

    ViewCatalog views = ViewCatalog.defaults();
    ViewFolder traffic = views.folder("traffic");
    GroupKey key = traffic.key(record);
    Aggregate agg = null;
    if (traffic.accepts(record)) {
      agg = traffic.add(current.getOrDefault(key, traffic.identity()), record);
    }
    Map<GroupKey, Aggregate> groups = traffic.fold(records);
    Aggregate batch = groups.get(key);
    Aggregate both = traffic.merge(batch.copy(), agg);
    ViewFolder hourly = traffic.rolledUp(WindowSize.ONE_HOUR, List.of("status_class"));
    Map<GroupKey, Aggregate> hours = traffic.rollUp(groups, hourly);
    Map<String, MetricValue> values = hourly.readOut(hours.values().iterator().next());
    ViewAggregate row = traffic.codec().toAvro(key, agg);
    GenericRecord genericRow = SampleData.toGeneric(row);
    Aggregate back = traffic.codec().fromAvro(genericRow);
    byte[] stored = traffic.codec().toBytes(agg);

    assertThat(both.records()).isEqualTo(batch.records() + 1);
    assertThat(values)
        .containsKeys("requests", "bytes", "visitors", "bytes_quantiles", "top_paths");
    assertThat(back.records()).isEqualTo(1);
    assertThat(traffic.codec().fromBytes(stored).records()).isEqualTo(1);
  }
}
