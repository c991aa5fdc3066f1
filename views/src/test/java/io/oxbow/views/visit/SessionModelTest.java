package io.oxbow.views.visit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import io.oxbow.contracts.avro.Visit;
import io.oxbow.views.record.PageViewRule;
import io.oxbow.views.record.VisitorKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The session model on hand-made sequences: the rule both layers share. */
class SessionModelTest {
  private static final VisitRules RULES = VisitRules.DEFAULTS;
  private static final long MIN = 60_000L;
  private static final long T0 = Instant.parse("2015-05-17T10:00:00Z").toEpochMilli();

  private static PageHit.OfVisitor hit(String visitor, long time, String path) {
    return new PageHit.OfVisitor(visitor, new PageHit(time, path, null, null));
  }

  private static List<Visit> visits(List<PageHit.OfVisitor> hits) {
    return Sessionizer.sessionize(hits, RULES).stream()
        .map(s -> s.visit().toVisit(s.visitor(), RULES))
        .toList();
  }

  @Test
  void shouldJoinAPageViewExactlyAtTheTimeoutAndSplitOneMillisecondLater() {
    // Kafka Streams' session windows merge at gap <= inactivity gap; the batch must do the same
    long timeout = RULES.timeoutMillis();
    assertThat(visits(List.of(hit("a", T0, "/1"), hit("a", T0 + timeout, "/2"))))
        .singleElement()
        .satisfies(v -> assertThat(v.getPageViews()).isEqualTo(2));
    assertThat(visits(List.of(hit("a", T0, "/1"), hit("a", T0 + timeout + 1, "/2")))).hasSize(2);
  }

  @Test
  void shouldMergeTwoVisitsWhenALatePageViewFallsBetweenThem() {
    List<PageHit.OfVisitor> before =
        List.of(hit("a", T0, "/1"), hit("a", T0 + 5 * MIN, "/2"), hit("a", T0 + 50 * MIN, "/3"));
    assertThat(visits(before)).hasSize(2);
    List<PageHit.OfVisitor> after = new ArrayList<>(before);
    after.add(hit("a", T0 + 30 * MIN, "/late"));
    Visit merged = visits(after).get(0);
    assertThat(visits(after)).hasSize(1);
    assertThat(merged.getPageViews()).isEqualTo(4);
    assertThat(merged.getStartTime()).isEqualTo(Instant.ofEpochMilli(T0));
    assertThat(merged.getDurationMs()).isEqualTo(50 * MIN);
    // the speed layer's way: two sessions and the late page view merged, in either grouping
    VisitAccumulator first = VisitAccumulator.of(before.get(0).hit()).add(before.get(1).hit());
    VisitAccumulator second = VisitAccumulator.of(before.get(2).hit());
    VisitAccumulator late = VisitAccumulator.of(after.get(3).hit());
    assertThat(first.merge(late).merge(second).toVisit("a", RULES)).isEqualTo(merged);
    assertThat(second.merge(late.merge(first)).toVisit("a", RULES)).isEqualTo(merged);
  }

  @Test
  void shouldKeepOneVisitAcrossAnHourBoundaryAndAcrossMidnight() {
    long lateEvening = Instant.parse("2015-05-17T23:50:00Z").toEpochMilli();
    List<Visit> v =
        visits(
            List.of(
                hit("a", T0 - 10 * MIN, "/1"),
                hit("a", T0 + 10 * MIN, "/2"),
                hit("b", lateEvening, "/x"),
                hit("b", lateEvening + 20 * MIN, "/y")));
    assertThat(v).hasSize(2);
    assertThat(v.get(0).getStartTime()).isEqualTo(Instant.ofEpochMilli(T0 - 10 * MIN));
    assertThat(v.get(0).getEndTime()).isEqualTo(Instant.ofEpochMilli(T0 + 10 * MIN));
    assertThat(v.get(1).getStartTime()).isEqualTo(Instant.parse("2015-05-17T23:50:00Z"));
    assertThat(v.get(1).getEndTime()).isEqualTo(Instant.parse("2015-05-18T00:10:00Z"));
    assertThat(v.get(1).getExitPage()).isEqualTo("/y");
  }

  @Test
  void shouldCountOnlyPageViewsOfHumansByUserAgent() {
    assertThat(PageHit.of(event("GET", "/index.html", 200, false))).isNotNull();
    assertThat(PageHit.of(event("GET", "/about", 304, false))).isNotNull();
    assertThat(PageHit.of(event("GET", "/about", 200, true))).as("bot").isNull();
    assertThat(PageHit.of(event("GET", "/style.CSS", 200, false))).as("asset").isNull();
    assertThat(PageHit.of(event("GET", "/robots.txt", 200, false))).as("asset").isNull();
    assertThat(PageHit.of(event("POST", "/about", 200, false))).as("POST").isNull();
    assertThat(PageHit.of(event("GET", "/missing", 404, false))).as("404").isNull();
    assertThat(PageViewRule.isPageView(false, false, "GET", 200, "/about"))
        .as("invalid request")
        .isFalse();
  }

  @Test
  void shouldTakeVisitorReferrerAndCountryOfTheEntryPageView() {
    AccessLogEvent entry =
        builder("GET", "/landing", 200, false)
            .setReferrer("https://www.Example.com/search?q=x")
            .setCountry("DE")
            .build();
    AccessLogEvent next =
        builder("GET", "/next", 200, false)
            .setEventTime(entry.getEventTime().plusSeconds(60))
            .setReferrer("https://other.org/")
            .setCountry("FR")
            .build();
    PageHit.OfVisitor first = PageHit.of(entry);
    assertThat(first.visitor()).isEqualTo(VisitorKey.of("10.0.0.9", "Mozilla/5.0"));
    assertThat(first.hit().referrerDomain()).isEqualTo("example.com");
    Visit visit = visits(List.of(PageHit.of(next), first)).get(0);
    assertThat(visit.getEntryPage()).isEqualTo("/landing");
    assertThat(visit.getExitPage()).isEqualTo("/next");
    assertThat(visit.getReferrerDomain()).isEqualTo("example.com");
    assertThat(visit.getCountry()).isEqualTo("DE");
    assertThat(visit.getBounced()).isZero();
    assertThat(visit.getVisitor()).isEqualTo(first.visitor());
  }

  @Test
  void shouldBreakTiesInTimeTheSameWayWhateverTheOrder() {
    List<PageHit> same =
        List.of(
            new PageHit(T0, "/b", "x.org", "DE"),
            new PageHit(T0, "/a", "y.org", "FR"),
            new PageHit(T0, "/a", "x.org", null),
            new PageHit(T0, "/c", null, "US"));
    Random random = new Random(7);
    Visit expected = null;
    for (int round = 0; round < 20; round++) {
      List<PageHit> shuffled = new ArrayList<>(same);
      Collections.shuffle(shuffled, random);
      VisitAccumulator acc = VisitAccumulator.empty();
      for (PageHit h : shuffled) {
        acc = round % 2 == 0 ? acc.add(h) : VisitAccumulator.of(h).merge(acc);
      }
      Visit visit = acc.toVisit("v", RULES);
      if (expected == null) {
        expected = visit;
      }
      assertThat(visit).isEqualTo(expected);
    }
    assertThat(expected.getEntryPage()).isEqualTo("/a");
    assertThat(expected.getReferrerDomain()).isEqualTo("x.org");
    assertThat(expected.getCountry()).isNull();
    assertThat(expected.getExitPage()).isEqualTo("/c");
  }

  @Test
  void shouldMarkOnePageViewVisitsAsBouncesAndFastVisitsAsPageRateBots() {
    Visit bounce = visits(List.of(hit("a", T0, "/only"))).get(0);
    assertThat(bounce.getBounced()).isEqualTo(1);
    assertThat(bounce.getDurationMs()).isZero();
    assertThat(bounce.getBotReason()).isEqualTo(VisitRules.HUMAN);
    List<PageHit.OfVisitor> fast = new ArrayList<>();
    for (int i = 0; i < 31; i++) {
      fast.add(hit("a", T0 + i * 1000L, "/p" + i));
    }
    assertThat(visits(fast).get(0).getBotReason()).isEqualTo(VisitRules.PAGE_RATE);
    assertThat(visits(fast.subList(0, 30)).get(0).getBotReason()).isEqualTo(VisitRules.HUMAN);
    VisitRules off = new VisitRules(Duration.ofMinutes(30), 0);
    assertThat(Sessionizer.sessionize(fast, off).get(0).visit().toVisit("a", off).getBotReason())
        .isEqualTo(VisitRules.HUMAN);
  }

  @Test
  void shouldHandOverClosedVisitsOnlyOnceNoPageViewCanExtendThem() {
    Sessionizer s = new Sessionizer(RULES);
    long timeout = RULES.timeoutMillis();
    s.add("a", new PageHit(T0, "/1", null, null));
    s.add("b", new PageHit(T0 + MIN, "/1", null, null));
    assertThat(s.closeBefore(T0 + timeout))
        .as("a page view at end + timeout still joins")
        .isEmpty();
    assertThat(s.closeBefore(T0 + timeout + 1))
        .extracting(Sessionizer.Session::visitor)
        .containsExactly("a");
    assertThat(s.open()).extracting(Sessionizer.Session::visitor).containsExactly("b");
    assertThatThrownBy(() -> s.add("c", new PageHit(T0, "/old", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("time order");
  }

  @Test
  void shouldStoreAVisitInBytesAndReadItBack() {
    VisitAccumulator acc =
        VisitAccumulator.of(new PageHit(T0, "/ü", "x.org", null))
            .add(new PageHit(T0 + 3 * MIN, "/b", null, "DE"));
    assertThat(VisitAccumulator.fromBytes(acc.toBytes())).isEqualTo(acc);
    assertThat(VisitAccumulator.fromBytes(VisitAccumulator.empty().toBytes()).isEmpty()).isTrue();
    assertThatThrownBy(() -> VisitAccumulator.fromBytes(new byte[] {9}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 9");
  }

  private static AccessLogEvent event(String method, String path, int status, boolean bot) {
    return builder(method, path, status, bot).build();
  }

  private static AccessLogEvent.Builder builder(
      String method, String path, int status, boolean bot) {
    return AccessLogEvent.newBuilder()
        .setClient("10.0.0.9")
        .setClientKind(ClientKind.IPV4)
        .setEventTime(Instant.ofEpochMilli(T0))
        .setMethod(method)
        .setPath(path)
        .setStatus(status)
        .setLineBytes(100)
        .setUserAgent("Mozilla/5.0")
        .setIsBot(bot);
  }
}
