package io.oxbow.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.serving.VisitStandIns.Headline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@link DashboardBrowserIT} checks of the dashboard's visits and referrers: the visit cards
 * and their change from the previous period, the top referrers, entry pages and bot reasons against
 * direct counts of the seeded records, "–" for ratios over no visits, and the notices of a server
 * without a visits view.
 */
final class VisitsPanels {
  private static final String SNAPSHOT =
      """
      (() => { const d = window.oxbowDashboard; const t = id => document.getElementById(id).textContent;
        const r = d.charts.referrers; const e = d.charts.entries;
        return { refreshes: d.refreshes, lastError: d.lastError,
          visits: t('kpi-visits'), bounce: t('kpi-bounce'), duration: t('kpi-duration'),
          pagesPerVisit: t('kpi-pages-per-visit'), note: t('kpi-visits-note'),
          visitsDelta: t('delta-visits'), bounceDelta: t('delta-bounce'),
          durationDelta: t('delta-duration'), pagesPerVisitDelta: t('delta-pages-per-visit'),
          notices: [...document.querySelectorAll('.notice')].filter(n => !n.hidden).map(n => n.textContent),
          referrers: r.data.labels, referrerRequests: r.data.datasets[0].data,
          referrerVisitors: r.data.datasets[1].data, referrerVisits: r.data.datasets[2].data,
          referrerVisitsHidden: !!r.data.datasets[2].hidden, referrerTicks: r.scales.y.ticks.length,
          entries: e.data.labels, entryVisits: e.data.datasets[0].data, entryTicks: e.scales.y.ticks.length,
          entriesShown: !e.canvas.parentElement.hidden,
          reasonsShown: !document.getElementById('bot-reasons').hidden,
          reasons: [...document.querySelectorAll('#bot-reasons tbody tr')]
            .map(tr => [...tr.children].map(td => td.textContent)),
          text: document.body.innerText }; })()
      """;

  private VisitsPanels() {}

  /** Opens {@code url} and waits until the new page has drawn once. */
  static void open(Chromium chromium, String url) throws Exception {
    // marks the page shown now, so that the wait below cannot be satisfied by it
    chromium.eval("(() => { window.oxbowStale = true; return true; })()");
    chromium.navigate(url);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                chromium
                        .eval(
                            "!window.oxbowStale && window.oxbowDashboard"
                                + " ? oxbowDashboard.refreshes : 0")
                        .asInt()
                    >= 1);
  }

  static JsonNode snapshot(Chromium chromium) throws Exception {
    return chromium.eval(SNAPSHOT);
  }

  /**
   * Over the seeded hour [from, to): the visit cards, the top referrers (requests and visitors from
   * the requests, human visits from the visits), the entry pages and the bot reasons equal direct
   * counts, and every bar keeps its label.
   */
  static void assertSeeded(
      Chromium chromium,
      List<AccessLogEvent> requests,
      List<AccessLogEvent> visits,
      Instant from,
      Instant to)
      throws Exception {
    JsonNode s = snapshot(chromium);
    assertThat(s.get("lastError").isNull()).as(s.toString()).isTrue();
    Headline headline = Headline.of(visits, from, to);
    assertThat(headline.visits()).isPositive();
    assertThat(s.get("visits").asText()).isEqualTo(headline.visitsText());
    assertThat(s.get("bounce").asText()).isEqualTo(headline.bounceText());
    assertThat(s.get("duration").asText()).isEqualTo(headline.durationText());
    assertThat(s.get("pagesPerVisit").asText()).isEqualTo(headline.pagesPerVisitText());
    assertThat(s.get("note").asText()).isEqualTo("human visits");
    assertThat(s.get("notices")).isEmpty();
    assertReferrers(s, requests, visits, from, to);

    Map<String, Long> entries = new HashMap<>();
    long total = 0;
    long bots = 0;
    for (AccessLogEvent v : visits) {
      if (!v.getEventTime().isBefore(from) && v.getEventTime().isBefore(to)) {
        total++;
        if (v.getIsBot()) {
          bots++;
        } else {
          entries.merge(v.getPath(), 1L, Long::sum);
        }
      }
    }
    List<String> expectedEntries = new ArrayList<>(entries.keySet());
    expectedEntries.sort(
        (a, b) ->
            entries.get(a).equals(entries.get(b))
                ? a.compareTo(b)
                : Long.compare(entries.get(b), entries.get(a)));
    assertThat(texts(s.get("entries"))).isEqualTo(expectedEntries);
    assertThat(longs(s.get("entryVisits")))
        .isEqualTo(expectedEntries.stream().map(entries::get).toList());
    assertThat(s.get("entryTicks").asInt())
        .as("every entry page labelled")
        .isEqualTo(entries.size());

    assertThat(bots).isPositive();
    assertThat(s.get("reasons").toString())
        .isEqualTo(
            "[[\"user-agent\",\""
                + bots
                + "\",\""
                + VisitStandIns.oneDecimal(100.0 * bots / total)
                + " %\"]]");
  }

  private static void assertReferrers(
      JsonNode s,
      List<AccessLogEvent> requests,
      List<AccessLogEvent> visits,
      Instant from,
      Instant to) {
    Map<String, Long> byDomain = new TreeMap<>();
    Map<String, Set<String>> clients = new HashMap<>();
    for (AccessLogEvent r : requests) {
      if (r.getReferrer() != null && inRange(r, from, to)) {
        String domain = VisitStandIns.domain(r.getReferrer());
        byDomain.merge(domain, 1L, Long::sum);
        clients.computeIfAbsent(domain, d -> new HashSet<>()).add(r.getClient());
      }
    }
    Map<String, Long> humanVisits = new HashMap<>();
    for (AccessLogEvent v : visits) {
      if (v.getReferrer() != null && !v.getIsBot() && inRange(v, from, to)) {
        humanVisits.merge(VisitStandIns.domain(v.getReferrer()), 1L, Long::sum);
      }
    }
    assertThat(byDomain).hasSize(VisitStandIns.REFERRERS.size());

    List<String> shown = texts(s.get("referrers"));
    assertThat(shown).hasSize(10).doesNotHaveDuplicates();
    assertThat(s.get("referrerTicks").asInt()).as("every referrer labelled").isEqualTo(10);
    List<Long> shownRequests = longs(s.get("referrerRequests"));
    assertThat(shownRequests).isEqualTo(shown.stream().map(byDomain::get).toList());
    assertThat(shownRequests).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    long leftOut =
        byDomain.entrySet().stream()
            .filter(e -> !shown.contains(e.getKey()))
            .mapToLong(Map.Entry::getValue)
            .max()
            .orElseThrow();
    assertThat(leftOut).isLessThanOrEqualTo(shownRequests.get(shownRequests.size() - 1));
    assertThat(longs(s.get("referrerVisitors")))
        .isEqualTo(shown.stream().map(d -> (long) clients.get(d).size()).toList());
    assertThat(longs(s.get("referrerVisits")))
        .isEqualTo(shown.stream().map(d -> humanVisits.getOrDefault(d, 0L)).toList())
        .anyMatch(n -> n > 0);
  }

  /**
   * With "compare with previous period" on: each visit card shows its change from the previous
   * period (percentage points for the bounce rate).
   */
  static void assertCompared(Chromium chromium, Headline current, Headline previous)
      throws Exception {
    JsonNode s = snapshot(chromium);
    assertThat(s.get("visits").asText()).isEqualTo(current.visitsText());
    assertThat(s.get("visitsDelta").asText())
        .isEqualTo(
            change(current.visits(), previous.visits(), false)
                + " vs previous period ("
                + previous.visitsText()
                + ")");
    assertThat(s.get("bounceDelta").asText())
        .isEqualTo(
            change(current.bounceRate(), previous.bounceRate(), true)
                + " vs previous period ("
                + VisitStandIns.oneDecimal(previous.bounceRate())
                + " %)");
    assertThat(s.get("durationDelta").asText())
        .isEqualTo(
            change(current.averageDurationMs(), previous.averageDurationMs(), false)
                + " vs previous period ("
                + previous.durationText()
                + ")");
    assertThat(s.get("pagesPerVisitDelta").asText())
        .isEqualTo(
            change(current.pagesPerVisit(), previous.pagesPerVisit(), false)
                + " vs previous period ("
                + previous.pagesPerVisitText()
                + ")");
  }

  /** Over 7 days whose previous 7 days hold no visit: "new" visits, no ratio to compare with. */
  static void assertNoneBeforeSevenDays(Chromium chromium) throws Exception {
    JsonNode s = snapshot(chromium);
    assertThat(s.get("visitsDelta").asText()).isEqualTo("new vs previous period (0)");
    assertThat(s.get("bounceDelta").asText()).isEqualTo("previous period: –");
    assertThat(s.get("durationDelta").asText()).isEqualTo("previous period: –");
    assertThat(s.get("pagesPerVisitDelta").asText()).isEqualTo("previous period: –");
  }

  /** A range without visits: 0 visits, "–" for every ratio, never NaN or Infinity. */
  static void assertZeroVisits(Chromium chromium, String baseUrl) throws Exception {
    open(
        chromium,
        baseUrl + "/?refresh=1000&range=custom&from=2026-11-20T00:00:00Z&to=2026-11-20T01:00:00Z");
    JsonNode s = snapshot(chromium);
    assertThat(s.get("lastError").isNull()).as(s.toString()).isTrue();
    assertThat(s.get("visits").asText()).isEqualTo("0");
    assertThat(s.get("bounce").asText()).isEqualTo("–");
    assertThat(s.get("duration").asText()).isEqualTo("–");
    assertThat(s.get("pagesPerVisit").asText()).isEqualTo("–");
    assertThat(s.get("reasons").toString()).isEqualTo("[[\"no visits\"]]");
    assertThat(s.get("referrers")).isEmpty();
    assertThat(s.get("entries")).isEmpty();
    assertThat(s.get("text").asText()).doesNotContain("NaN").doesNotContain("Infinity");
  }

  /**
   * A server without a visits view: the visit cards and the panels needing it say so, the referrers
   * panel still shows requests and visitors, and nothing failed.
   */
  static void assertNoVisitsView(Chromium chromium, String baseUrl) throws Exception {
    open(chromium, baseUrl + "/?refresh=1000");
    JsonNode s = snapshot(chromium);
    assertThat(s.get("lastError").isNull()).as(s.toString()).isTrue();
    String notice = "No visits view on this server.";
    assertThat(texts(s.get("notices")))
        .containsExactly("Human visits per site are left out. " + notice, notice, notice);
    assertThat(s.get("note").asText()).isEqualTo(notice);
    assertThat(s.get("visits").asText()).isEqualTo("–");
    assertThat(s.get("bounce").asText()).isEqualTo("–");
    assertThat(s.get("duration").asText()).isEqualTo("–");
    assertThat(s.get("pagesPerVisit").asText()).isEqualTo("–");
    assertThat(s.get("entriesShown").asBoolean()).isFalse();
    assertThat(s.get("reasonsShown").asBoolean()).isFalse();
    assertThat(s.get("referrers")).hasSize(10);
    assertThat(s.get("referrerVisitsHidden").asBoolean()).isTrue();
    assertThat(s.get("referrerVisits")).isEmpty();
    assertThat(s.get("text").asText()).doesNotContain("NaN").doesNotContain("Infinity");
  }

  /** "▲ 12.5 %" / "▼ 3 pp" / "= 0 %", as the dashboard writes a change. */
  private static String change(double current, double previous, boolean points) {
    double change = points ? current - previous : 100 * (current - previous) / previous;
    String arrow = change > 0 ? "▲ " : change < 0 ? "▼ " : "= ";
    return arrow + VisitStandIns.oneDecimal(Math.abs(change)) + (points ? " pp" : " %");
  }

  private static boolean inRange(AccessLogEvent e, Instant from, Instant to) {
    return !e.getEventTime().isBefore(from) && e.getEventTime().isBefore(to);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }
}
