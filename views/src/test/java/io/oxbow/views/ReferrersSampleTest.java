package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.views.metric.MetricValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The default {@code referrers} view over the real elastic sample agrees with a direct count per
 * referring domain and hour, written here without the views module or the test's log reader: the
 * referrer and user agent are the second and third quoted fields of each line, the domain is the
 * host of the referrer's URL read by a regular expression (lower case, without a leading {@code
 * www.}), a visitor is a distinct pair of client address and user-agent text.
 */
class ReferrersSampleTest {
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final String NONE = "(no referrer)";
  // scheme://[user@]host[:port][/...]: the sample's referrers are all of this form
  private static final Pattern URL =
      Pattern.compile("[a-z]+://(?:[^/@]*@)?([^/:?#]+)(?::\\d+)?(?:[/?#].*)?");

  /** Requests and distinct visitors of one hour and domain. */
  private record Counts(long requests, long visitors) {}

  /** hour text (17/May/2015:10) -> domain, or NONE -> counts. */
  private static Map<String, Map<String, Counts>> direct(List<String> lines) {
    Map<String, Map<String, Long>> requests = new TreeMap<>();
    Map<String, Map<String, Set<String>>> visitors = new TreeMap<>();
    for (String line : lines) {
      String[] quoted = line.split("\"");
      String stamp = quoted[0].substring(quoted[0].indexOf('[') + 1, quoted[0].indexOf(']'));
      assertThat(stamp).endsWith("+0000");
      String hour = stamp.substring(0, 14);
      String domain = domain(quoted[3]);
      String client = quoted[0].substring(0, quoted[0].indexOf(' '));
      String agent = quoted[5].equals("-") ? "" : quoted[5];
      requests.computeIfAbsent(hour, h -> new TreeMap<>()).merge(domain, 1L, Long::sum);
      visitors
          .computeIfAbsent(hour, h -> new TreeMap<>())
          .computeIfAbsent(domain, d -> new HashSet<>())
          .add(client + '\n' + agent);
    }
    Map<String, Map<String, Counts>> out = new TreeMap<>();
    requests.forEach(
        (hour, byDomain) ->
            byDomain.forEach(
                (domain, n) ->
                    out.computeIfAbsent(hour, h -> new TreeMap<>())
                        .put(domain, new Counts(n, visitors.get(hour).get(domain).size()))));
    return out;
  }

  private static String domain(String referrer) {
    if (referrer.equals("-")) {
      return NONE;
    }
    Matcher url = URL.matcher(referrer);
    assertThat(url.matches()).as(referrer).isTrue();
    String host = url.group(1).toLowerCase(Locale.ROOT);
    return host.startsWith("www.") ? host.substring(4) : host;
  }

  @Test
  void shouldCountRequestsAndVisitorsPerReferrerAndHourLikeADirectCount() throws IOException {
    List<String> lines = Files.readAllLines(SampleData.ELASTIC, StandardCharsets.UTF_8);
    Map<String, Map<String, Counts>> expected = direct(lines);

    ViewFolder referrers = ViewCatalog.defaults().folder("referrers");
    assertThat(referrers.definition().window()).isEqualTo(WindowSize.ONE_HOUR);
    assertThat(referrers.definition().dimensions()).containsExactly("referrer_domain");
    Map<String, Map<String, Counts>> actual = new TreeMap<>();
    for (Map.Entry<GroupKey, Aggregate> group :
        referrers.fold(SampleData.elasticEvents()).entrySet()) {
      Map<String, MetricValue> metrics = referrers.readOut(group.getValue());
      long requests = ((MetricValue.Exact) metrics.get("requests")).value().longValueExact();
      MetricValue.Estimate visitors = (MetricValue.Estimate) metrics.get("visitors");
      // every group holds fewer than 384 visitors, where the sketch is exact
      assertThat(visitors.lowerBound()).isEqualTo(visitors.upperBound());
      String domain = group.getKey().dimensions().get(0);
      actual
          .computeIfAbsent(
              HOUR.format(Instant.ofEpochMilli(group.getKey().windowStart())), h -> new TreeMap<>())
          .put(
              domain == null ? NONE : domain,
              new Counts(requests, Math.round(visitors.estimate())));
    }

    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String hour : expected.keySet()) {
      assertThat(actual.get(hour)).as(hour).isEqualTo(expected.get(hour));
    }
    assertThat(expected).hasSize(84);
    assertThat(expected.values().stream().mapToLong(m -> m.values().size()).sum())
        .as("groups of an hour and a domain")
        .isGreaterThan(500);
    assertThat(
            expected.values().stream()
                .flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getKey().equals("semicomplete.com"))
                .mapToLong(e -> e.getValue().requests())
                .sum())
        .as("www.semicomplete.com and semicomplete.com are one site")
        .isEqualTo(5039);
  }
}
