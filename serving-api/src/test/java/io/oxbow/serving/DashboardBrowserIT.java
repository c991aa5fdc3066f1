package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.deadletter.DeadLetterReason;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.http.security.ApiKeyRing;
import io.oxbow.runtime.http.security.HttpSecurityConfig;
import io.oxbow.views.Source;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium against a serving API with keys: without a key it shows
 * a sign-in and no data; signed in (the key kept in the tab's sessionStorage, never in the URL) it
 * loads without console errors, draws the seeded data, and follows new data. Leaves a screenshot at
 * {@code target/dashboard.png}. Skipped (with a message) where {@code /usr/bin/chromium} is not
 * installed.
 */
@ExtendWith(KafkaBackendExtension.class)
class DashboardBrowserIT {
  private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
  private static final ViewCatalog CATALOG = VisitStandIns.catalog();
  private static final List<String> PATHS =
      List.of("/", "/products", "/cart", "/checkout", "/blog/kafka", "/search", "/about");
  private static final List<String> COUNTRIES =
      List.of("US", "DE", "FR", "BR", "IN", "JP", "GB", "CA", "NL", "ES");

  @TempDir Path temp;

  @Test
  void shouldDrawTheSeededDataAndFollowNewData(KafkaBackend kafka) throws Exception {
    Assumptions.assumeTrue(
        Chromium.installed(),
        "chromium is not installed at /usr/bin/chromium: the dashboard's browser test is skipped"
            + " (install it with apt-get install -y chromium)");
    Pipeline pipeline = new Pipeline(kafka.bootstrapServers(), temp.resolve("lake"));
    pipeline.createTopics(CATALOG.names());
    Random random = new Random(42);
    Seeded seed = seed(pipeline, random);
    List<AccessLogEvent> events = seed.events();
    List<AccessLogEvent> earlier = seed.earlier();
    Instant watermark = seed.watermark();
    ApiKeyRing.Generated viewer = ApiKeyRing.generate("viewer", "read+admin");
    Path keys = Files.writeString(temp.resolve("api-keys"), viewer.configEntry() + "\n");
    HttpSecurityConfig security =
        ServeConfig.SECURITY.read(
            ConfigSource.ofFlags(Map.of("serve.api-key-file", keys.toString())));
    try (ServingApp app = ServingApp.start(pipeline.config(), CATALOG, security);
        Chromium chromium = Chromium.start(temp.resolve("profile"))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pipeline.get(app.baseUrl(), "/health/ready").statusCode() == 200);
      chromium.navigate(app.baseUrl() + "/?refresh=1000");

      // without a key: the sign-in form, and no data drawn
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  chromium
                      .eval("window.oxbowDashboard ? oxbowDashboard.needsKey : false")
                      .asBoolean());
      JsonNode anonymous = signInState(chromium);
      assertThat(anonymous.get("formShown").asBoolean()).isTrue();
      assertThat(anonymous.get("refreshes").asInt()).isZero();
      assertThat(anonymous.get("points").asInt()).isZero();
      assertThat(anonymous.get("dlqRows").asInt()).isZero();
      assertThat(anonymous.get("requestsKpi").asText()).isEqualTo("–");

      // sign in: the key goes to sessionStorage and the Authorization header, nowhere else
      chromium.eval(
          "(() => { document.getElementById('api-key').value = '"
              + viewer.key()
              + "'; document.getElementById('signin').requestSubmit(); return true; })()");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  chromium.eval("window.oxbowDashboard ? oxbowDashboard.refreshes : 0").asInt()
                      >= 1);

      JsonNode seeded = state(chromium);
      assertThat(seeded.get("lastError").isNull()).as(seeded.toString()).isTrue();
      assertThat(seeded.get("points").asInt()).isEqualTo(60);
      assertThat(seeded.get("requests").asLong()).isEqualTo(events.size());
      assertThat(seeded.get("countries").size()).isEqualTo(COUNTRIES.size());
      assertThat(seeded.get("pages").size()).isEqualTo(PATHS.size());
      assertThat(seeded.get("revenueBars").asInt()).isPositive();
      assertThat(seeded.get("watermark").asLong()).isEqualTo(watermark.toEpochMilli());
      assertThat(seeded.get("dlqRows").asInt()).isEqualTo(2);
      assertThat(seeded.get("dlqText").asText()).contains("<img src=x onerror=alert(1)>");
      assertThat(seeded.get("images").asInt()).isZero();
      VisitsPanels.assertSeeded(chromium, seed.all(), seed.visits(), T0, T0.plusSeconds(3600));

      // a new minute arrives in the speed view: the dashboard moves on without a reload
      List<AccessLogEvent> next = minute(random, 60);
      ViewFolder traffic = CATALOG.folder("traffic");
      pipeline.publishSpeed(traffic, traffic.fold(next));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> state(chromium).get("lastX").asLong() == T0.plusSeconds(3600).toEpochMilli());
      JsonNode moved = state(chromium);
      assertThat(moved.get("lastY").asLong()).isEqualTo(next.size());
      assertThat(moved.get("points").asInt()).isEqualTo(60);

      JsonNode signedIn = signInState(chromium);
      assertThat(signedIn.get("formShown").asBoolean()).isFalse();
      assertThat(signedIn.get("url").asText()).doesNotContain(viewer.key());
      assertThat(signedIn.get("session").asText()).isEqualTo(viewer.key());
      assertThat(signedIn.get("local").asInt()).isZero();
      assertThat(signedIn.get("cookie").asText()).doesNotContain(viewer.key());

      long minuteZero =
          events.stream().filter(e -> e.getEventTime().isBefore(T0.plusSeconds(60))).count();
      assertComparesWithThePreviousHour(
          chromium, events.size() - minuteZero + next.size(), earlier.size() + minuteZero);
      VisitsPanels.assertCompared(
          chromium,
          VisitStandIns.Headline.of(seed.visits(), T0.plusSeconds(60), T0.plusSeconds(3660)),
          VisitStandIns.Headline.of(seed.visits(), T0.minusSeconds(3540), T0.plusSeconds(60)));
      assertSevenDaysKeptAcrossAReload(chromium);
      VisitsPanels.assertNoneBeforeSevenDays(chromium);

      chromium.screenshot(Path.of("target", "dashboard.png"));
      VisitsPanels.assertZeroVisits(chromium, app.baseUrl());
      // the one error expected: the browser logs the anonymous first call's 401 that asked for a
      // key
      assertThat(chromium.errors())
          .filteredOn(e -> !(e.contains("status of 401") && e.contains("/api/v1/status")))
          .isEmpty();
      assertThat(chromium.errors()).anyMatch(e -> e.contains("status of 401"));
      assertAServerWithoutVisitsSaysSo(pipeline, chromium);
    }
  }

  /** The seeded records: this hour's and the hour before's requests, and visits of both. */
  private record Seeded(
      List<AccessLogEvent> events,
      List<AccessLogEvent> earlier,
      List<AccessLogEvent> all,
      List<AccessLogEvent> visits,
      Instant watermark) {}

  /**
   * Publishes every view of the seeded hours to both layers (batch up to 09:40) and two dead
   * letters.
   */
  private static Seeded seed(Pipeline pipeline, Random random) throws Exception {
    List<AccessLogEvent> events = new ArrayList<>();
    for (int minute = 0; minute < 60; minute++) {
      events.addAll(minute(random, minute));
    }
    List<AttributedOrder> orders = orders(random, events);
    // the hour before: every other minute, for the comparison with the previous period
    List<AccessLogEvent> earlier = new ArrayList<>();
    for (int minute = -59; minute < 0; minute += 2) {
      earlier.addAll(minute(random, minute));
    }
    List<AccessLogEvent> all = new ArrayList<>(earlier);
    all.addAll(events);
    // visits of both hours, in the stand-in visits view only
    List<AccessLogEvent> visits = VisitStandIns.visits(new Random(7), T0, -59, 60, PATHS);
    Instant watermark = T0.plusSeconds(40 * 60);
    for (ViewFolder view : CATALOG.folders()) {
      List<? extends org.apache.avro.generic.GenericRecord> input =
          view.definition().source() == Source.ORDERS
              ? orders
              : view.name().equals("visits") ? visits : all;
      pipeline.publishSpeed(view, view.fold(input));
      pipeline.publishBatch(view, view.fold(input), watermark);
    }
    pipeline.deadLetter(
        "GET /index.html HTTP/1.1\" 200".getBytes(StandardCharsets.UTF_8),
        DeadLetterReason.TRUNCATED);
    pipeline.deadLetter(
        "<img src=x onerror=alert(1)>".getBytes(StandardCharsets.UTF_8),
        DeadLetterReason.UNEXPECTED_TEXT);
    return new Seeded(events, earlier, all, visits, watermark);
  }

  /**
   * A server without a visits view (an older deployment, or a views file without it) over the same
   * data: the visits panels say so instead of failing, and the page logs no error.
   */
  private static void assertAServerWithoutVisitsSaysSo(Pipeline pipeline, Chromium chromium)
      throws Exception {
    ViewCatalog withoutVisits =
        ViewCatalog.of(
            CATALOG.definitions().stream().filter(d -> !d.name().equals("visits")).toList());
    int errorsBefore = chromium.errors().size();
    try (ServingApp older = ServingApp.start(pipeline.config(), withoutVisits)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pipeline.get(older.baseUrl(), "/health/ready").statusCode() == 200);
      VisitsPanels.assertNoVisitsView(chromium, older.baseUrl());
      assertThat(chromium.errors()).hasSize(errorsBefore);
    }
  }

  /**
   * Ticks "compare with previous period" over the last hour (09:01-10:01, the previous one
   * 08:01-09:01): the requests card shows the change from the previous hour's requests.
   */
  private static void assertComparesWithThePreviousHour(
      Chromium chromium, long current, long previous) throws Exception {
    chromium.eval("(() => { document.getElementById('compare').click(); return true; })()");
    await().atMost(Duration.ofSeconds(30)).until(() -> !view(chromium).get("compared").isNull());
    JsonNode compared = view(chromium);
    assertThat(compared.get("url").asText()).contains("compare=1");
    assertThat(compared.at("/compared/current/requests").asLong()).isEqualTo(current);
    assertThat(compared.at("/compared/previous/requests").asLong()).isEqualTo(previous);
    DecimalFormat oneDecimal =
        new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.ENGLISH));
    oneDecimal.setRoundingMode(RoundingMode.HALF_UP);
    double change = 100.0 * (current - previous) / previous;
    assertThat(compared.get("requestsDelta").asText())
        .isEqualTo(
            (change >= 0 ? "▲ " : "▼ ")
                + oneDecimal.format(Math.abs(change))
                + " % vs previous period ("
                + oneDecimal.format(previous)
                + ")");
    assertThat(compared.get("countryTicks").asInt())
        .isEqualTo(compared.get("countries").size())
        .isEqualTo(COUNTRIES.size());
    assertThat(compared.get("pageTicks").asInt()).isEqualTo(PATHS.size());
  }

  /** Picks the last 7 days, reloads the page's URL: the choice, hourly buckets and dates stay. */
  private static void assertSevenDaysKeptAcrossAReload(Chromium chromium) throws Exception {
    chromium.eval(
        "(() => { const s = document.getElementById('range-preset'); s.value = '7d';"
            + " s.dispatchEvent(new Event('change')); return true; })()");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> view(chromium).get("granularity").asText().equals("hour"));
    String url = view(chromium).get("url").asText();
    assertThat(url).contains("range=7d").contains("compare=1");

    VisitsPanels.open(chromium, url);
    await().atMost(Duration.ofSeconds(30)).until(() -> !view(chromium).get("compared").isNull());
    JsonNode reloaded = view(chromium);
    assertThat(reloaded.get("preset").asText()).isEqualTo("7d");
    assertThat(reloaded.get("compare").asBoolean()).isTrue();
    assertThat(reloaded.get("granularity").asText()).isEqualTo("hour");
    assertThat(reloaded.get("header").asText())
        .isEqualTo("2026-11-18 11:00 – 2026-11-25 11:00 UTC (7 days)");
    assertThat(reloaded.get("perLabel").asText()).isEqualTo("hour");
    // the seeded hours are all in the last 7 days, the 7 days before hold nothing
    assertThat(reloaded.at("/compared/previous/requests").asLong()).isZero();
    assertThat(reloaded.get("requestsDelta").asText()).startsWith("new vs previous period (0)");
    assertThat(reloaded.get("countryTicks").asInt()).isEqualTo(COUNTRIES.size());
    assertThat(reloaded.get("pageTicks").asInt()).isEqualTo(PATHS.size());
  }

  private static JsonNode view(Chromium chromium) throws Exception {
    return chromium.eval(
        "(() => { const d = window.oxbowDashboard;"
            + " return { url: location.href, refreshes: d.refreshes, granularity: d.granularity,"
            + " compared: d.compare, preset: document.getElementById('range-preset').value,"
            + " compare: document.getElementById('compare').checked,"
            + " header: document.getElementById('range').textContent,"
            + " perLabel: document.querySelector('.per').textContent,"
            + " requestsDelta: document.getElementById('delta-requests').textContent,"
            + " countries: d.charts.countries.data.labels,"
            + " countryTicks: d.charts.countries.scales.y.ticks.length,"
            + " pageTicks: d.charts.pages.scales.y.ticks.length }; })()");
  }

  private static JsonNode signInState(Chromium chromium) throws Exception {
    return chromium.eval(
        "(() => { const d = window.oxbowDashboard;"
            + " return { formShown: !document.getElementById('signin').hidden,"
            + " refreshes: d.refreshes, points: d.charts.traffic.data.datasets[0].data.length,"
            + " dlqRows: document.querySelectorAll('#dlq tbody tr').length,"
            + " requestsKpi: document.getElementById('kpi-requests').textContent,"
            + " url: location.href, session: sessionStorage.getItem('oxbow.api-key') || '',"
            + " local: localStorage.length, cookie: document.cookie }; })()");
  }

  private static JsonNode state(Chromium chromium) throws Exception {
    return chromium.eval(
        "(() => { const d = window.oxbowDashboard; const t = d.charts.traffic.data.datasets[0].data;"
            + " return { lastError: d.lastError, points: t.length,"
            + " lastX: t.length ? t[t.length - 1].x : 0, lastY: t.length ? t[t.length - 1].y : 0,"
            + " requests: d.totals.requests, watermark: d.watermark,"
            + " countries: d.charts.countries.data.labels, pages: d.charts.pages.data.labels,"
            + " revenueBars: d.charts.revenue.data.datasets[0].data.length,"
            + " dlqRows: document.querySelectorAll('#dlq tbody tr').length,"
            + " dlqText: document.querySelector('#dlq tbody').textContent,"
            + " images: document.querySelectorAll('#dlq img').length }; })()");
  }

  private static List<AccessLogEvent> minute(Random random, int minute) {
    List<AccessLogEvent> out = new ArrayList<>();
    int count = 20 + (int) (15 * Math.sin(minute / 6.0)) + random.nextInt(10) + 15;
    for (int i = 0; i < count; i++) {
      int r = random.nextInt(100);
      int status = r < 80 ? 200 : r < 88 ? 304 : r < 97 ? 404 : 503;
      String client = (random.nextInt(10) == 0 ? "bot" : "c") + random.nextInt(300);
      AccessLogEvent event =
          hit(
              T0.plusSeconds(minute * 60L + random.nextInt(60)),
              client,
              COUNTRIES.get(Math.floorMod(client.hashCode(), COUNTRIES.size())),
              status,
              PATHS.get(Math.min(random.nextInt(PATHS.size()), random.nextInt(PATHS.size()))));
      // a referrer from the client and minute (not from the random sequence): 12 sites and none
      int referrer = Math.floorMod((client + "@" + minute).hashCode(), 16);
      event.put(
          "referrer",
          referrer < VisitStandIns.REFERRERS.size() ? VisitStandIns.REFERRERS.get(referrer) : null);
      out.add(event);
    }
    return out;
  }

  private static List<AttributedOrder> orders(Random random, List<AccessLogEvent> events) {
    List<AttributedOrder> orders = new ArrayList<>();
    for (int i = 0; i < events.size(); i += 40) {
      AccessLogEvent view = events.get(i);
      orders.add(
          AttributedOrder.newBuilder()
              .setOrderId("o" + i)
              .setClientIp(view.getClient())
              .setCustomerId("u" + random.nextInt(50))
              .setAmount(BigDecimal.valueOf(1_000 + random.nextInt(20_000), 2).setScale(4))
              .setCurrency("EUR")
              .setEventTime(view.getEventTime().plusSeconds(20))
              .setItems(List.of())
              .setAttributed(true)
              .setLandingPage(view.getPath())
              .setReferrerDomain(random.nextBoolean() ? "news.example.com" : "search.example")
              .setCountry(view.getCountry())
              .build());
    }
    return orders;
  }
}
