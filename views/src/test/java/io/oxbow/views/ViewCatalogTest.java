package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading view definitions: the defaults, user files that extend or replace them, and errors. */
class ViewCatalogTest {

  @Test
  void shouldShipTheDefaultViewsWithTheirPublicNames() {
    ViewCatalog defaults = ViewCatalog.defaults();

    assertThat(defaults.names())
        .containsExactly("traffic", "pages", "errors", "revenue", "referrers", "visits");
    ViewDefinition traffic = defaults.folder("traffic").definition();
    assertThat(traffic.source()).isEqualTo(Source.ACCESS_LOGS);
    assertThat(traffic.window()).isEqualTo(WindowSize.ONE_MINUTE);
    assertThat(traffic.dimensions()).containsExactly("country", "status_class", "is_bot");
    assertThat(traffic.metrics())
        .extracting(MetricSpec::name)
        .containsExactly("requests", "bytes", "visitors", "bytes_quantiles", "top_paths");
    assertThat(traffic.metric("top_paths").options()).containsEntry("k", 10);
    assertThat(defaults.folder("pages").definition().metrics())
        .extracting(MetricSpec::name)
        .containsExactly("views", "visitors");
    assertThat(defaults.folder("errors").definition().filter()).isEqualTo("status >= 400");
    ViewDefinition revenue = defaults.folder("revenue").definition();
    assertThat(revenue.source()).isEqualTo(Source.ORDERS);
    assertThat(revenue.dimensions()).containsExactly("country", "referrer_domain");
    assertThat(revenue.metrics())
        .extracting(MetricSpec::name)
        .containsExactly("orders", "revenue", "customers", "order_value_quantiles");
  }

  @Test
  void shouldAddAndReplaceViewsFromAUserFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("views.yaml");
    Files.writeString(
        file,
        """
        views:
          - name: bots
            source: access-logs.enriched
            window: 1h
            dimensions: [ua_browser]
            filter: is_bot = true
            metrics:
              - {name: hits, type: count}
          - name: errors
            source: access-logs.enriched
            window: 5m
            filter: status >= 500
            dimensions: [path]
            metrics:
              - {name: count, type: count}
        """);

    ViewCatalog catalog = ViewCatalog.load(file);

    assertThat(catalog.names())
        .containsExactly("traffic", "pages", "errors", "revenue", "referrers", "visits", "bots");
    assertThat(catalog.folder("errors").definition().filter()).isEqualTo("status >= 500");
    assertThat(catalog.folder("errors").definition().window()).isEqualTo(WindowSize.FIVE_MINUTES);
  }

  @Test
  void shouldReplaceTheDefaultsWhenAsked() {
    ViewCatalog catalog =
        ViewCatalog.parse(
            """
            replace_defaults: true
            views:
              - name: daily
                source: orders.attributed
                window: 1d
                metrics: [{name: orders, type: count}]
            """,
            "mine.yaml");

    assertThat(catalog.names()).containsExactly("daily");
    assertThat(catalog.find("traffic")).isEmpty();
    assertThatThrownBy(() -> catalog.folder("traffic"))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageContaining("unknown view 'traffic' (defined: [daily])");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          unknown dimension   | dimensions: [contry]                          | view 'bad': dimension 'contry': 'contry' is not a field of access-logs.enriched
          sum of text         | metrics: [{name: b, type: sum, field: client}] | view 'bad': metric 'b': field 'client' is string, sum needs a number
          unknown metric field| metrics: [{name: v, type: distinct, field: ip}] | view 'bad': metric 'v': field: 'ip' is not a field
          missing field       | metrics: [{name: v, type: distinct}]          | view 'bad': metric 'v': field is required for distinct
          count with field    | metrics: [{name: c, type: count, field: path}] | view 'bad': metric 'c': field: count takes no field
          unknown type        | metrics: [{name: c, type: avg, field: bytes}] | view 'bad': metric 'c': unknown metric type 'avg'
          option range        | metrics: [{name: v, type: distinct, field: client, lg_k: 30}] | view 'bad': metric 'v': lg_k 30 must be within 4..21
          map size            | metrics: [{name: t, type: top_k, field: path, max_map_size: 100}] | view 'bad': metric 't': max_map_size 100 must be a power of 2
          unknown option      | metrics: [{name: c, type: count, k: 3}]       | view 'bad': metric 'c': unknown key 'k'
          duplicate metric    | metrics: [{name: c, type: count}, {name: c, type: count}] | view 'bad': metric 'c': defined twice
          bad filter syntax   | filter: status >> 400                         | view 'bad': filter: cannot parse 'status >> 400' at character 1
          filter field        | filter: stats >= 400                          | view 'bad': filter: 'stats' is not a field of access-logs.enriched
          filter type         | filter: status = 'ok'                         | view 'bad': filter: 'status = 'ok'' compares number 'status' with 'ok' using =
          path on orders      | source: orders.attributed                     | view 'bad': dimension 'path': 'path' is not a field of orders.attributed
          unknown window      | window: 2m                                    | view 'bad': unknown window '2m' (one of 1m, 5m, 1h, 1d)
          unknown source      | source: clicks                                | view 'bad': unknown source 'clicks'
          unknown view key    | dimension: [path]                             | view 'bad': unknown key 'dimension'
          metric without name | metrics: [{type: count}]                      | view 'bad': metric #1: 'name' is required
          list as field       | metrics: [{name: v, type: distinct, field: [a]}] | view 'bad': metric 'v': 'field' must be a single value
          option not a number | metrics: [{name: q, type: quantiles, field: bytes, k: big}] | view 'bad': metric 'q': k must be an integer
          """)
  void shouldFailNamingTheViewAndTheField(String problem, String change, String message) {
    String key = change.substring(0, change.indexOf(':'));
    StringBuilder yaml = new StringBuilder("views:\n  - name: bad\n");
    if (!key.equals("source")) {
      yaml.append("    source: access-logs.enriched\n");
    }
    if (!key.equals("window")) {
      yaml.append("    window: 1m\n");
    }
    if (!key.equals("dimensions")) {
      yaml.append("    dimensions: [path]\n");
    }
    if (!key.equals("metrics")) {
      yaml.append("    metrics: [{name: n, type: count}]\n");
    }
    yaml.append("    ").append(change).append('\n');

    assertThatThrownBy(() -> ViewCatalog.parse(yaml.toString(), "user.yaml"))
        .as(problem)
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageStartingWith("user.yaml: ")
        .hasMessageContaining(message);
  }

  @Test
  void shouldRejectBadFilesWithTheirName(@TempDir Path dir) {
    assertThatThrownBy(() -> ViewCatalog.load(dir.resolve("missing.yaml")))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageContaining("cannot read views file")
        .hasMessageContaining("missing.yaml");
    assertThatThrownBy(() -> ViewCatalog.parse("views: [", "broken.yaml"))
        .hasMessageStartingWith("broken.yaml: not valid YAML");
    assertThatThrownBy(() -> ViewCatalog.parse("views: {}", "map.yaml"))
        .hasMessage("map.yaml: 'views' must be a list of views");
    assertThatThrownBy(
            () ->
                ViewCatalog.parse(
                    "views:\n  - {name: Bad-Name, source: orders.attributed, window: 1h,"
                        + " metrics: [{name: n, type: count}]}",
                    "names.yaml"))
        .hasMessageContaining("view 'Bad-Name': name must be lower case letters");
    assertThatThrownBy(
            () ->
                ViewCatalog.parse(
                    "views:\n  - {name: a, source: orders.attributed, window: 1h,"
                        + " metrics: [{name: n, type: count}]}\n"
                        + "  - {name: a, source: orders.attributed, window: 1d,"
                        + " metrics: [{name: n, type: count}]}",
                    "twice.yaml"))
        .hasMessage("twice.yaml: view 'a': defined twice in this file");
  }
}
