package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.views.ViewCatalog;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Visits for the dashboard's tests, before the pipeline has a visits topic: a view named {@code
 * visits} with the dimensions and metrics of the default one, folded over access-log events that
 * each stand for one visit (start in {@code event_time}, entry page in {@code path}, exit page in
 * {@code vhost}, page views in {@code bytes}, duration in ms in {@code duration_micros}, bounced as
 * 1 or 0 in {@code server_port}, and {@code bot_reason} derived from the bot flag). The dashboard
 * reads views by name only, so it draws these as it draws the real ones.
 */
final class VisitStandIns {
  /** The default views plus the stand-in {@code visits} view, which replaces a default one. */
  static final String VIEWS_YAML =
      """
      views:
        - name: visits
          source: access-logs.enriched
          window: 1m
          dimensions: [country, referrer_domain, bot_reason]
          metrics:
            - {name: visits, type: count}
            - {name: bounces, type: sum, field: server_port}
            - {name: duration_ms, type: sum, field: duration_micros}
            - {name: duration_quantiles, type: quantiles, field: duration_micros}
            - {name: page_views, type: sum, field: bytes}
            - {name: entry_pages, type: top_k, field: path}
            - {name: exit_pages, type: top_k, field: vhost}
      """;

  /** Referrers of the seeded requests and visits: null (none sent) or a URL of one of 12 sites. */
  static final List<String> REFERRERS =
      List.of(
          "https://www.alpha.example/a",
          "https://beta.example/",
          "http://gamma.example/x?q=1",
          "https://delta.example/",
          "https://epsilon.example/",
          "https://zeta.example/",
          "https://eta.example/",
          "https://theta.example/",
          "https://iota.example/",
          "https://kappa.example/",
          "https://lambda.example/",
          "https://mu.example/");

  private static final DecimalFormat ONE_DECIMAL = oneDecimal();

  private VisitStandIns() {}

  static ViewCatalog catalog() {
    return ViewCatalog.parse(VIEWS_YAML, "visit stand-ins");
  }

  /** The site of one of {@link #REFERRERS}, as the views' {@code referrer_domain} names it. */
  static String domain(String referrer) {
    String host = referrer.substring(referrer.indexOf("://") + 3).split("[/?]")[0];
    return host.startsWith("www.") ? host.substring(4) : host;
  }

  /**
   * Visits starting in minutes {@code [fromMinute, toMinute)} after {@code t0}, a few a minute: one
   * in seven a bot's (client {@code bot…}), four in ten bounced, a third without a referrer.
   */
  static List<AccessLogEvent> visits(
      Random random, Instant t0, int fromMinute, int toMinute, List<String> paths) {
    List<AccessLogEvent> out = new ArrayList<>();
    for (int minute = fromMinute; minute < toMinute; minute++) {
      int count = 2 + random.nextInt(4);
      for (int i = 0; i < count; i++) {
        boolean bot = random.nextInt(7) == 0;
        boolean bounced = random.nextInt(10) < 4;
        String client = (bot ? "bot" : "v") + random.nextInt(1000);
        AccessLogEvent visit =
            hit(
                t0.plusSeconds(minute * 60L + random.nextInt(60)),
                client,
                "DE",
                200,
                paths.get(Math.min(random.nextInt(paths.size()), random.nextInt(paths.size()))));
        int referrer = random.nextInt(REFERRERS.size() * 3 / 2);
        visit.put("referrer", referrer < REFERRERS.size() ? REFERRERS.get(referrer) : null);
        visit.put("server_port", bounced ? 1 : 0);
        visit.put("bytes", bounced ? 1L : 2L + random.nextInt(6));
        visit.put("duration_micros", bounced ? 0L : 1_000L * (5 + random.nextInt(900)));
        visit.put("vhost", paths.get(random.nextInt(paths.size())));
        out.add(visit);
      }
    }
    return out;
  }

  /** Totals of the human visits starting in [from, to), as the headline cards show them. */
  record Headline(long visits, long bounces, long durationMs, long pageViews) {
    static Headline of(List<AccessLogEvent> visits, Instant from, Instant to) {
      long n = 0;
      long bounces = 0;
      long duration = 0;
      long pages = 0;
      for (AccessLogEvent v : visits) {
        if (!v.getIsBot() && !v.getEventTime().isBefore(from) && v.getEventTime().isBefore(to)) {
          n++;
          bounces += v.getServerPort();
          duration += v.getDurationMicros();
          pages += v.getBytes();
        }
      }
      return new Headline(n, bounces, duration, pages);
    }

    String visitsText() {
      return ONE_DECIMAL.format(visits);
    }

    /** In percent, computed as the dashboard does (100 times the share). */
    double bounceRate() {
      return 100 * ((double) bounces / visits);
    }

    double averageDurationMs() {
      return (double) durationMs / visits;
    }

    double pagesPerVisit() {
      return (double) pageViews / visits;
    }

    String bounceText() {
      return visits == 0 ? "–" : ONE_DECIMAL.format(bounceRate()) + " %";
    }

    String durationText() {
      return visits == 0 ? "–" : VisitStandIns.durationText(averageDurationMs());
    }

    String pagesPerVisitText() {
      return visits == 0 ? "–" : ONE_DECIMAL.format(pagesPerVisit());
    }
  }

  /** The dashboard's duration: 45 s, 2 min 5 s, 1 h 3 min. */
  static String durationText(double ms) {
    if (ms < 60_000) {
      return ONE_DECIMAL.format(ms / 1000) + " s";
    }
    long s = Math.round(ms / 1000);
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }

  /** A number as the dashboard writes it: grouped thousands, at most one decimal. */
  static String oneDecimal(double value) {
    return ONE_DECIMAL.format(value);
  }

  private static DecimalFormat oneDecimal() {
    DecimalFormat format =
        new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.ENGLISH));
    format.setRoundingMode(RoundingMode.HALF_UP);
    return format;
  }
}
