package io.oxbow.accesslog;

import io.oxbow.contracts.avro.AccessLogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the Avro event from a scanned line; for AUTO, names the trailing quoted fields. */
final class EventAssembler {

  private EventAssembler() {}

  static AccessLogEvent fixed(LineScanner s, String formatName, int lineBytes, String source) {
    if (s.trailing != null) {
      for (String t : s.trailing) {
        s.addExtra(t);
      }
    }
    return build(s, formatName, lineBytes, source);
  }

  /**
   * AUTO: the first two trailing quoted fields are referrer and user agent (combined); a third that
   * looks like an address list (or {@code -}) is X-Forwarded-For (nginx main); the rest are extra
   * fields.
   */
  static AccessLogEvent auto(LineScanner s, boolean vhost, int lineBytes, String source) {
    List<String> t = s.trailing;
    int q = s.leadingQuoted;
    int used = 0;
    if (q >= 1) {
      s.referrer = dashToNull(t.get(0));
      used = 1;
    }
    if (q >= 2) {
      s.userAgent = dashToNull(t.get(1));
      used = 2;
    }
    if (q >= 3 && looksLikeAddressList(t.get(2))) {
      s.forwardedFor = dashToNull(t.get(2));
      used = 3;
    }
    if (t != null) {
      for (int i = used; i < t.size(); i++) {
        s.addExtra(t.get(i));
      }
    }
    String name =
        vhost ? "vhost_combined" : q == 0 ? "common" : used == 3 ? "nginx_main" : "combined";
    return build(s, name, lineBytes, source);
  }

  private static AccessLogEvent build(LineScanner s, String format, int lineBytes, String src) {
    RequestLine r = s.request == null ? null : RequestLine.parse(s.request);
    List<String> extras = s.extras == null ? new ArrayList<>(0) : s.extras;
    return new AccessLogEvent(
        s.client,
        s.clientKind,
        s.ident,
        s.user,
        Instant.ofEpochMilli(s.time.epochMillis()),
        s.time.offsetSeconds(),
        s.request,
        r != null,
        r == null ? null : r.method,
        r == null ? null : r.path,
        r == null ? null : r.query,
        r == null ? null : r.protocol,
        s.status,
        s.bytes,
        s.referrer,
        s.userAgent,
        s.vhost,
        s.port,
        s.durationMicros,
        s.forwardedFor,
        extras,
        format,
        lineBytes,
        src,
        null,
        null,
        null,
        null,
        false);
  }

  private static String dashToNull(String v) {
    return "-".equals(v) ? null : v;
  }

  /** {@code -}, or IP addresses / host names separated by commas and blanks. */
  static boolean looksLikeAddressList(String v) {
    if (v.isEmpty()) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || ".:,-_[]% ".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
