package io.oxbow.stream;

import static io.oxbow.stream.TopologyFixture.combined;
import static io.oxbow.stream.TopologyFixture.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.views.Source;
import io.oxbow.views.record.RecordFields;
import io.oxbow.views.record.ValueExtractor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The referrer domain of an access-log view ({@code referrer_domain} derived by the views module)
 * and of an attributed order (set by order attribution) are the same for the same referrer: the
 * {@code revenue} view and any access-log view group by one dimension.
 */
class ReferrerDomainAgreementTest {
  private static final String FIREFOX =
      "Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0";

  /** Referrers as they reach access logs, with the domain both paths must agree on. */
  private static final Map<String, String> REFERRERS = new LinkedHashMap<>();

  static {
    REFERRERS.put("http://www.example.org/start", "example.org");
    REFERRERS.put("https://User@Www.Example.COM:8443/a?b", "example.com");
    REFERRERS.put("HTTPS://WWW.EXAMPLE.NET#top", "example.net");
    REFERRERS.put("https://news.ycombinator.com", "news.ycombinator.com");
    REFERRERS.put("android-app://com.google.android.gm/", "com.google.android.gm");
    REFERRERS.put("http://[2001:DB8::1]:8080/x", "[2001:db8::1]");
    REFERRERS.put("https://under_score.example.net/a%20b", "under_score.example.net");
    REFERRERS.put("https://wwwexample.com/", "wwwexample.com");
    REFERRERS.put("http://www./", "www.");
    REFERRERS.put("not-a-url", null);
    REFERRERS.put("-", null);
  }

  @Test
  void shouldGiveTheSameDomainInAccessLogViewsAndInAttributedOrders() throws Exception {
    ValueExtractor viewDomain = RecordFields.resolve(Source.ACCESS_LOGS, "referrer_domain");
    List<String> fromViews = new ArrayList<>();
    List<String> fromAttribution = new ArrayList<>();
    try (TopologyFixture fx = new TopologyFixture(Duration.ofMinutes(5), "")) {
      int host = 1;
      for (String referrer : REFERRERS.keySet()) {
        String client = "83.149.9." + host++;
        fx.pipe(combined(client, "17/May/2015:10:00:00", "/landing", 200, FIREFOX, referrer));
        fx.orders.pipeInput(client, order("o-" + client, client, "2015-05-17T10:10:00Z"));

        AccessLogEvent event = fx.enriched.readValue();
        AttributedOrder attributed = fx.attributed.readValue();
        assertThat(attributed.getAttributed()).as(referrer).isTrue();
        fromViews.add((String) viewDomain.extract(event));
        fromAttribution.add(attributed.getReferrerDomain());
      }
    }
    List<String> expected = new ArrayList<>(REFERRERS.values());
    assertThat(fromViews).as("views' referrer_domain").isEqualTo(expected);
    assertThat(fromAttribution).as("attributed orders' referrer_domain").isEqualTo(expected);
  }
}
