package io.oxbow.views.visit;

import io.oxbow.views.record.FieldValues;
import io.oxbow.views.record.PageViewRule;
import io.oxbow.views.record.ReferrerDomain;
import io.oxbow.views.record.VisitorKey;
import java.util.Comparator;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;

/**
 * One page view as sessionization sees it: when, which page, and where the visitor came from.
 *
 * <p>Page views are ordered by time, then path, referrer domain and country ({@link #ORDER}, nulls
 * first), so the entry page (the smallest) and the exit page (the largest) of a visit do not depend
 * on the order in which page views of equal time arrive.
 *
 * @param time event time, UTC epoch millis
 * @param path the request path without the query string
 * @param referrerDomain the referrer's domain ({@link ReferrerDomain}), or null
 * @param country the client's country as enriched, or null
 */
public record PageHit(long time, String path, String referrerDomain, String country) {
  /** Time, then path, referrer domain and country; nulls first. */
  public static final Comparator<PageHit> ORDER =
      Comparator.comparingLong(PageHit::time)
          .thenComparing(PageHit::path)
          .thenComparing(PageHit::referrerDomain, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(PageHit::country, Comparator.nullsFirst(Comparator.naturalOrder()));

  /** Checks the path. */
  public PageHit {
    Objects.requireNonNull(path, "path");
  }

  /**
   * A visitor's page view.
   *
   * @param visitor the visitor ({@link VisitorKey})
   * @param hit the page view
   */
  public record OfVisitor(String visitor, PageHit hit) {}

  /**
   * The page view of an access-log event ({@code AccessLogEvent}, generated or generic, e.g. a row
   * read back from Parquet), or null when the event is not a page view ({@link PageViewRule}).
   */
  public static OfVisitor of(GenericRecord event) {
    String path = text(event, "path");
    Object status = FieldValues.read(event, "status");
    if (status == null
        || !PageViewRule.isPageView(
            !Boolean.FALSE.equals(FieldValues.read(event, "request_valid")),
            Boolean.TRUE.equals(FieldValues.read(event, "is_bot")),
            text(event, "method"),
            (int) (long) (Long) status,
            path)) {
      return null;
    }
    String client = text(event, "client");
    if (client == null) {
      return null;
    }
    return new OfVisitor(
        VisitorKey.of(client, text(event, "user_agent")),
        new PageHit(
            FieldValues.eventTime(event),
            path,
            ReferrerDomain.of(text(event, "referrer")),
            text(event, "country")));
  }

  private static String text(GenericRecord event, String field) {
    return FieldValues.asText(FieldValues.read(event, field));
  }
}
