package io.oxbow.accesslog;

import static io.oxbow.accesslog.ByteScan.BACKSLASHES;
import static io.oxbow.accesslog.ByteScan.HIGHS;
import static io.oxbow.accesslog.ByteScan.LONGS;
import static io.oxbow.accesslog.ByteScan.ONES;
import static io.oxbow.accesslog.ByteScan.QUOTES;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The everyday line of {@link LogFormat#AUTO} read in one pass: an ASCII line in the Apache common
 * or combined layout ({@code client ident user [time] "METHOD /target HTTP/x.y" status bytes}, then
 * nothing, or referrer and user agent, or those and a third quoted field as in nginx's main
 * layout), with no escapes outside the quoted fields.
 *
 * <p>Each byte is visited once: the ASCII check rides along with the field scans (the quoted
 * fields' eight-bytes-a-step quote search also flags non-ASCII bytes), and a request line in origin
 * form without escapes is split into method, path, query and protocol from the bytes, not from a
 * String afterwards. Escapes in quoted fields are decoded and other request lines split by the same
 * code the general path uses ({@link FieldText#decode}, {@link RequestLine#parse}).
 *
 * <p>{@link #tryParse} returns null for any line that is not of this shape, including every line
 * the general path would reject; the caller then runs the general {@link LineScanner} path, which
 * owns every rejection, non-ASCII text and every other layout. For a line it accepts, the event is
 * equal, field by field, to the one the general path builds.
 */
final class CombinedFastPath {

  /** Length of {@code [dd/MMM/yyyy:HH:mm:ss +hhmm]} and the space after it. */
  private static final int BRACKETED_TIME_AND_SPACE = ClfTime.LENGTH + 3;

  private final byte[] b;
  private final int end;
  private int pos;

  private String client;
  private ClientKind clientKind;
  private String ident;
  private String user;
  private final ClfTime time = new ClfTime();
  private String request;
  private boolean requestValid;
  private boolean escaped;
  private String method;
  private String path;
  private String query;
  private String protocol;
  private int status;
  private Long bytes;
  private String format = "common";
  private String referrer;
  private String userAgent;
  private String forwardedFor;
  private String extra;

  private CombinedFastPath(byte[] b, int end) {
    this.b = b;
    this.end = end;
  }

  /**
   * Reads {@code b[off, end)} (already stripped of its line terminator and trailing blanks).
   *
   * @return the event, or null when the line is not an ASCII common/combined line this path reads
   */
  static AccessLogEvent tryParse(byte[] b, int off, int end, int lineBytes, String source) {
    CombinedFastPath f = new CombinedFastPath(b, end);
    return f.read(off) ? f.event(lineBytes, source) : null;
  }

  private boolean read(int off) {
    int s1 = nextSpace(off);
    if (s1 <= off || !client(off, s1)) {
      return false;
    }
    int s2 = nextSpace(s1 + 1);
    if (s2 <= s1 + 1) {
      return false;
    }
    ident = dashToNull(s1 + 1, s2);
    int s3 = nextSpace(s2 + 1);
    if (s3 <= s2 + 1) {
      return false;
    }
    user = dashToNull(s2 + 1, s3);
    return time(s3 + 1)
        && request(s3 + 1 + BRACKETED_TIME_AND_SPACE)
        && status()
        && bytes()
        && trailing();
  }

  /** The next space from {@code p}; -1 at a tab, a backslash, a non-ASCII byte or the end. */
  private int nextSpace(int p) {
    for (; p < end; p++) {
      byte c = b[p];
      if (c == ' ') {
        return p;
      }
      if (c == '\t' || c == '\\' || c < 0) {
        return -1;
      }
    }
    return -1;
  }

  private boolean client(int from, int to) {
    if (isCanonicalIpv4(from, to)) {
      client = ascii(from, to);
      clientKind = ClientKind.IPV4;
      return true;
    }
    ClientAddress.Value v = ClientAddress.parse(b, from, to);
    if (v == null) {
      return false;
    }
    client = v.text();
    clientKind = v.kind();
    return true;
  }

  /** Four dot-separated numbers of at most 255 without leading zeros: kept as written. */
  private boolean isCanonicalIpv4(int from, int to) {
    int parts = 0;
    int p = from;
    while (p < to) {
      int start = p;
      int value = 0;
      while (p < to && p - start < 3 && b[p] >= '0' && b[p] <= '9') {
        value = value * 10 + (b[p] - '0');
        p++;
      }
      int digits = p - start;
      if (digits == 0 || value > 255 || (digits > 1 && b[start] == '0')) {
        return false;
      }
      parts++;
      if (p == to) {
        break;
      }
      if (b[p] != '.' || parts == 4) {
        return false;
      }
      p++;
    }
    return parts == 4 && b[to - 1] != '.';
  }

  /**
   * {@code [time]} at {@code p}, then the space before the request. The bytes are checked for ASCII
   * here, as every field this reader takes is: a line with any other byte is the general scanner's.
   */
  private boolean time(int p) {
    if (end - p < BRACKETED_TIME_AND_SPACE
        || b[p] != '['
        || b[p + ClfTime.LENGTH + 1] != ']'
        || b[p + ClfTime.LENGTH + 2] != ' ') {
      return false;
    }
    long words =
        (long) LONGS.get(b, p)
            | (long) LONGS.get(b, p + 8)
            | (long) LONGS.get(b, p + 16)
            | (long) LONGS.get(b, p + BRACKETED_TIME_AND_SPACE - 8);
    return (words & HIGHS) == 0 && time.parse(b, p + 1, p + 1 + ClfTime.LENGTH) < 0;
  }

  /**
   * The quoted request at {@code p}: its closing quote is the first unescaped one followed by a
   * space. A request line with escapes, or one the byte split does not take, is split by {@link
   * RequestLine#parse} from its text, as the general path does.
   */
  private boolean request(int p) {
    if (p >= end || b[p] != '"') {
      return false;
    }
    int q = closingQuote(p + 1, false);
    if (q < 0 || q + 1 >= end) {
      return false;
    }
    pos = q + 2;
    if (q - p == 2 && b[p + 1] == '-') {
      return true;
    }
    if (escaped) {
      request = FieldText.decode(b, p + 1, q, true);
    } else {
      request = ascii(p + 1, q);
      if (requestLine(p + 1, q)) {
        requestValid = true;
        return true;
      }
    }
    RequestLine r = RequestLine.parse(request);
    requestValid = r != null;
    method = r == null ? null : r.method;
    path = r == null ? null : r.path;
    query = r == null ? null : r.query;
    protocol = r == null ? null : r.protocol;
    return true;
  }

  /** {@code METHOD /target [HTTP/d.d]} in {@code b[from, to)}, as {@link RequestLine} splits it. */
  private boolean requestLine(int from, int to) {
    int p = from;
    while (p < to && b[p] >= 'A' && b[p] <= 'Z') {
      p++;
    }
    int targetStart = p + 1;
    if (p == from || p - from > 24 || targetStart >= to || b[p] != ' ' || b[targetStart] != '/') {
      return false;
    }
    method = method(from, p - from);
    int question = -1;
    p = targetStart;
    for (; p < to; p++) {
      byte c = b[p];
      if (c <= ' ' || c == 0x7f) {
        break;
      }
      if (c == '?' && question < 0) {
        question = p;
      }
    }
    int targetEnd = p;
    if (targetEnd < to && (b[targetEnd] != ' ' || !protocol(targetEnd + 1, to))) {
      return false;
    }
    if (question < 0) {
      path = ascii(targetStart, targetEnd);
    } else {
      path = ascii(targetStart, question);
      query = ascii(question + 1, targetEnd);
    }
    return true;
  }

  private String method(int from, int len) {
    if (len == 3 && b[from] == 'G' && b[from + 1] == 'E' && b[from + 2] == 'T') {
      return "GET";
    }
    if (len == 4 && b[from] == 'P' && b[from + 1] == 'O' && b[from + 2] == 'S') {
      return b[from + 3] == 'T' ? "POST" : ascii(from, from + len);
    }
    if (len == 4 && b[from] == 'H' && b[from + 1] == 'E' && b[from + 2] == 'A') {
      return b[from + 3] == 'D' ? "HEAD" : ascii(from, from + len);
    }
    return ascii(from, from + len);
  }

  /** {@code HTTP/d} or {@code HTTP/d.d} filling {@code b[from, to)}. */
  private boolean protocol(int from, int to) {
    int len = to - from;
    if ((len != 6 && len != 8)
        || b[from] != 'H'
        || b[from + 1] != 'T'
        || b[from + 2] != 'T'
        || b[from + 3] != 'P'
        || b[from + 4] != '/'
        || !isDigit(b[from + 5])
        || (len == 8 && (b[from + 6] != '.' || !isDigit(b[from + 7])))) {
      return false;
    }
    if (len == 8 && b[from + 5] == '1' && b[from + 7] == '1') {
      protocol = "HTTP/1.1";
    } else if (len == 8 && b[from + 5] == '1' && b[from + 7] == '0') {
      protocol = "HTTP/1.0";
    } else {
      protocol = ascii(from, to);
    }
    return true;
  }

  /** One to three digits, then a space. */
  private boolean status() {
    int p = pos;
    int v = 0;
    while (p < end && p - pos < 3 && isDigit(b[p])) {
      v = v * 10 + (b[p] - '0');
      p++;
    }
    if (p == pos || p >= end || b[p] != ' ') {
      return false;
    }
    status = v;
    pos = p + 1;
    return true;
  }

  /** {@code -} or one to eighteen digits, then a blank or the end of the line. */
  private boolean bytes() {
    int p = pos;
    if (p < end && b[p] == '-') {
      p++;
    } else {
      long v = 0;
      while (p < end && p - pos < 18 && isDigit(b[p])) {
        v = v * 10 + (b[p] - '0');
        p++;
      }
      if (p == pos) {
        return false;
      }
      bytes = v;
    }
    if (p < end && b[p] != ' ' && b[p] != '\t') {
      return false;
    }
    pos = p;
    return true;
  }

  /**
   * Nothing more (common); or two quoted fields, referrer and user agent (combined); or a third
   * quoted one, X-Forwarded-For when it looks like an address list (nginx main), else an extra
   * field, as {@link EventAssembler#auto} names them.
   */
  private boolean trailing() {
    if (pos == end) {
      return true;
    }
    format = "combined";
    int first = trailingQuoted();
    if (first < 0) {
      return false;
    }
    referrer = dashToNull(quotedText(first));
    int second = trailingQuoted();
    if (second < 0) {
      return false;
    }
    userAgent = dashToNull(quotedText(second));
    if (pos == end) {
      return true;
    }
    int third = trailingQuoted();
    if (third < 0 || pos != end) {
      return false;
    }
    String text = quotedText(third);
    if (EventAssembler.looksLikeAddressList(text)) {
      format = "nginx_main";
      forwardedFor = "-".equals(text) ? null : text;
    } else {
      extra = text;
    }
    return true;
  }

  /**
   * After blanks, a quoted field closed by an unescaped quote followed by a blank or the end;
   * returns where its text starts (its end is {@code pos - 1}), or -1.
   */
  private int trailingQuoted() {
    int p = pos;
    while (p < end && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    if (p == pos || p >= end || b[p] != '"') {
      return -1;
    }
    int q = closingQuote(p + 1, true);
    if (q < 0) {
      return -1;
    }
    pos = q + 1;
    return p + 1;
  }

  /** The text of the quoted field from {@code from} to {@code pos - 1}, escapes decoded. */
  private String quotedText(int from) {
    return escaped ? FieldText.decode(b, from, pos - 1, true) : ascii(from, pos - 1);
  }

  /**
   * The closing quote of a field whose text starts at {@code p}: the first unescaped {@code "}
   * followed by a space, the end of the line, or (when {@code tabCloses}) a tab; sets {@link
   * #escaped}. Returns -1 at a non-ASCII byte or when there is none.
   */
  private int closingQuote(int p, boolean tabCloses) {
    escaped = false;
    while (true) {
      int x = quoteOrBackslash(p);
      if (x < 0) {
        return -1;
      }
      if (b[x] == '\\') {
        if (x + 1 < end && b[x + 1] < 0) {
          return -1;
        }
        escaped = true;
        p = x + 2;
      } else if (x + 1 >= end || b[x + 1] == ' ' || (tabCloses && b[x + 1] == '\t')) {
        return x;
      } else {
        p = x + 1;
      }
    }
  }

  /**
   * The first {@code "} or {@code \} from {@code p}, eight bytes a step; -1 at a non-ASCII byte or
   * the end of the line.
   */
  private int quoteOrBackslash(int p) {
    for (; p + 8 <= end; p += 8) {
      long x = (long) LONGS.get(b, p);
      long hits = zeroBytes(x ^ QUOTES) | zeroBytes(x ^ BACKSLASHES) | (x & HIGHS);
      if (hits != 0) {
        // the lowest flagged byte is exact (later flags may be borrow artefacts)
        int at = p + (Long.numberOfTrailingZeros(hits) >>> 3);
        return b[at] < 0 ? -1 : at;
      }
    }
    for (; p < end; p++) {
      byte c = b[p];
      if (c == '"' || c == '\\') {
        return p;
      }
      if (c < 0) {
        return -1;
      }
    }
    return -1;
  }

  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static String dashToNull(String text) {
    return "-".equals(text) ? null : text;
  }

  private String dashToNull(int from, int to) {
    return to - from == 1 && b[from] == '-' ? null : ascii(from, to);
  }

  private String ascii(int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private List<String> extras() {
    List<String> extras = new ArrayList<>(extra == null ? 0 : 1);
    if (extra != null) {
      extras.add(extra);
    }
    return extras;
  }

  private AccessLogEvent event(int lineBytes, String source) {
    return new AccessLogEvent(
        client,
        clientKind,
        ident,
        user,
        Instant.ofEpochMilli(time.epochMillis()),
        time.offsetSeconds(),
        request,
        requestValid,
        method,
        path,
        query,
        protocol,
        status,
        bytes,
        referrer,
        userAgent,
        null,
        null,
        null,
        forwardedFor,
        extras(),
        format,
        lineBytes,
        source,
        null,
        null,
        null,
        null,
        false);
  }
}
