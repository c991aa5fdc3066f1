package io.oxbow.bench.parse;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline most code bases start with: one {@code java.util.regex} pattern for the combined
 * format, then the conversions the event needs (epoch time, numbers, path/query split).
 */
final class RegexCombinedParser {

  /** The parsed fields; null fields mirror the event's nulls. */
  record Entry(
      String client,
      String ident,
      String user,
      long epochMillis,
      String method,
      String path,
      String query,
      String protocol,
      int status,
      Long bytes,
      String referrer,
      String userAgent) {}

  // the usual pattern: quoted fields as "([^"]*)" (escaped quotes are not handled)
  private static final Pattern COMBINED =
      Pattern.compile(
          "^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(\\S+) (\\S+)(?: (\\S+))?\" (\\d{3}) (\\S+)"
              + " \"([^\"]*)\" \"([^\"]*)\"$");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

  /** The entry, or null when the line does not match. */
  Entry parse(String line) {
    Matcher m = COMBINED.matcher(line);
    if (!m.matches()) {
      return null;
    }
    long epochMillis = OffsetDateTime.parse(m.group(4), TIME).toInstant().toEpochMilli();
    String target = m.group(6);
    int q = target.indexOf('?');
    String bytes = m.group(9);
    return new Entry(
        m.group(1),
        dash(m.group(2)),
        dash(m.group(3)),
        epochMillis,
        m.group(5),
        q < 0 ? target : target.substring(0, q),
        q < 0 ? null : target.substring(q + 1),
        m.group(7),
        Integer.parseInt(m.group(8)),
        bytes.equals("-") ? null : Long.valueOf(bytes),
        dash(m.group(10)),
        dash(m.group(11)));
  }

  private static String dash(String v) {
    return v.equals("-") ? null : v;
  }
}
