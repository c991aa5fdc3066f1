package io.oxbow.stream;

import static io.oxbow.stream.TopologyFixture.combined;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.contracts.avro.Visit;
import io.oxbow.views.record.VisitorKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Sessionization in the speed layer: session windows over page views, closed visits only. */
class VisitSessionsTest {
  private static final String FIREFOX =
      "Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0";
  private static final String CHROME =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0 Safari/537.36";
  private static final String BOT = "Googlebot/2.1 (+http://www.google.com/bot.html)";
  private static final String A = "83.149.9.216";
  private static final String B = "24.236.252.67";

  @Test
  void shouldWriteEachVisitOnceWhenClosedWithItsEntryExitAndBounce() throws Exception {
    try (TopologyFixture fx = new TopologyFixture(Duration.ofMinutes(5), "")) {
      fx.pipe(combined(A, "17/May/2015:10:00:00", "/landing", 200, FIREFOX));
      fx.pipe(combined(A, "17/May/2015:10:00:01", "/style.css", 200, FIREFOX));
      fx.pipe(combined(A, "17/May/2015:10:10:00", "/next", 200, FIREFOX, "-"));
      fx.pipe(combined(A, "17/May/2015:10:12:00", "/about", 200, BOT));
      fx.pipe(combined(A, "17/May/2015:10:12:00", "/missing", 404, FIREFOX));
      // another browser behind the same address is another visitor: a bounce
      fx.pipe(combined(A, "17/May/2015:10:20:00", "/other", 200, CHROME));
      // 10:44:59 is not yet 30 min timeout + 5 min grace past 10:10 (the visit may still grow)
      fx.pipe(combined(B, "17/May/2015:10:44:59", "/b", 200, FIREFOX));
      assertThat(fx.visits.isEmpty()).isTrue();

      fx.pipe(combined(B, "17/May/2015:10:45:00", "/b2", 200, FIREFOX));
      List<TestRecord<String, Visit>> out = fx.visits.readRecordsToList();
      assertThat(out).hasSize(1);
      Visit visit = out.get(0).value();
      assertThat(out.get(0).key())
          .isEqualTo(VisitorKey.of(A, FIREFOX))
          .isEqualTo(visit.getVisitor());
      assertThat(out.get(0).timestamp()).isEqualTo(visit.getStartTime().toEpochMilli());
      assertThat(visit.getStartTime()).isEqualTo(Instant.parse("2015-05-17T10:00:00Z"));
      assertThat(visit.getEndTime()).isEqualTo(Instant.parse("2015-05-17T10:10:00Z"));
      assertThat(visit.getDurationMs()).isEqualTo(Duration.ofMinutes(10).toMillis());
      assertThat(visit.getPageViews()).isEqualTo(2);
      assertThat(visit.getEntryPage()).isEqualTo("/landing");
      assertThat(visit.getExitPage()).isEqualTo("/next");
      assertThat(visit.getReferrerDomain()).isEqualTo("example.org");
      assertThat(visit.getBounced()).isZero();
      assertThat(visit.getBotReason()).isEqualTo("none");

      fx.pipe(combined(B, "17/May/2015:10:55:00", "/b3", 200, FIREFOX));
      Visit bounce = fx.visits.readValue();
      assertThat(bounce.getVisitor()).isEqualTo(VisitorKey.of(A, CHROME));
      assertThat(bounce.getBounced()).isEqualTo(1);
      assertThat(fx.visits.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldMergeTwoOpenVisitsWhenALatePageViewFallsBetweenThem() throws Exception {
    try (TopologyFixture fx = new TopologyFixture(Duration.ofMinutes(5), "")) {
      fx.pipe(combined(A, "17/May/2015:10:00:00", "/1", 200, FIREFOX));
      fx.pipe(combined(A, "17/May/2015:10:32:00", "/3", 200, FIREFOX));
      // late, within the grace: joins both (15 and 17 minutes apart)
      fx.pipe(combined(A, "17/May/2015:10:15:00", "/2", 200, FIREFOX));
      fx.pipe(combined(B, "17/May/2015:11:30:00", "/b", 200, FIREFOX));

      List<Visit> out = fx.visits.readValuesToList();
      assertThat(out).singleElement().satisfies(v -> assertThat(v.getPageViews()).isEqualTo(3));
      assertThat(out.get(0).getEntryPage()).isEqualTo("/1");
      assertThat(out.get(0).getExitPage()).isEqualTo("/3");

      // the visits view counts it once, in the minute of its start
      List<ViewAggregate> changes = fx.speedView("visits").readValuesToList();
      assertThat(changes).hasSize(1);
      assertThat(changes.get(0).getWindowStart()).isEqualTo(Instant.parse("2015-05-17T10:00:00Z"));
      assertThat(changes.get(0).getRecords()).isEqualTo(1);
    }
  }

  @Test
  void shouldCutAVisitAtAGapLongerThanTheTimeoutOnly() throws Exception {
    try (TopologyFixture fx = new TopologyFixture(Duration.ofMinutes(5), "")) {
      fx.pipe(combined(A, "17/May/2015:10:00:00", "/1", 200, FIREFOX));
      fx.pipe(combined(A, "17/May/2015:10:30:00", "/2", 200, FIREFOX));
      fx.pipe(combined(A, "17/May/2015:11:00:01", "/3", 200, FIREFOX));
      fx.pipe(combined(B, "17/May/2015:13:00:00", "/b", 200, FIREFOX));
      assertThat(fx.visits.readValuesToList())
          .extracting(Visit::getPageViews)
          .as("a gap of exactly 30 min joins, 30 min and 1 s does not")
          .containsExactly(2L, 1L);
    }
  }
}
