package io.oxbow.accesslog;

/**
 * Interprets the bytes of one field according to its kind and stores the value in the {@link
 * LineScanner}. Numbers and times are read straight from the bytes; Strings are created only for
 * values that go into the event.
 */
final class FieldValues {

  private FieldValues() {}

  static boolean store(LineScanner s, Field f, byte[] b, int from, int to, boolean escaped) {
    switch (f) {
      case CLIENT:
        return client(s, b, from, to);
      case TIME:
      case TIME_BRACKETED:
        return time(s, f, b, from, to);
      case STATUS:
        return status(s, b, from, to);
      case BYTES:
        {
          long v = number(b, from, to, 18);
          if (v == -2) {
            return s.reject(RejectReason.BAD_BYTES, badAt(b, from, to));
          }
          s.bytes = v < 0 ? null : v;
          return true;
        }
      case PORT:
        {
          long v = number(b, from, to, 9);
          if (v == -2) {
            return s.reject(RejectReason.BAD_NUMBER, badAt(b, from, to));
          }
          s.port = v < 0 ? null : (int) v;
          return true;
        }
      case DURATION_MICROS:
        {
          long v = number(b, from, to, 18);
          if (v == -2) {
            return s.reject(RejectReason.BAD_NUMBER, badAt(b, from, to));
          }
          s.durationMicros = v < 0 ? null : v;
          return true;
        }
      case DURATION_SECONDS:
        return seconds(s, b, from, to);
      case VHOST_WITH_PORT:
        return vhostWithPort(s, b, from, to);
      default:
        return text(s, f, b, from, to, escaped);
    }
  }

  private static boolean text(LineScanner s, Field f, byte[] b, int from, int to, boolean esc) {
    if (f == Field.OTHER) {
      s.addExtra(s.text(from, to, esc));
      return true;
    }
    String v = isDash(b, from, to) ? null : s.text(from, to, esc);
    switch (f) {
      case IDENT:
        s.ident = v;
        break;
      case USER:
        s.user = v;
        break;
      case REQUEST:
        s.request = v;
        break;
      case REFERRER:
        s.referrer = v;
        break;
      case USER_AGENT:
        s.userAgent = v;
        break;
      case FORWARDED_FOR:
        s.forwardedFor = v;
        break;
      case VHOST:
        s.vhost = v;
        break;
      default:
        s.addExtra(v);
        break;
    }
    return true;
  }

  private static boolean client(LineScanner s, byte[] b, int from, int to) {
    ClientAddress.Value v = from < to ? ClientAddress.parse(b, from, to) : null;
    if (v == null) {
      return s.reject(RejectReason.BAD_CLIENT, from);
    }
    s.client = v.text();
    s.clientKind = v.kind();
    return true;
  }

  private static boolean time(LineScanner s, Field f, byte[] b, int from, int to) {
    boolean bracketed = f == Field.TIME_BRACKETED;
    int need = ClfTime.LENGTH + (bracketed ? 2 : 0);
    if (to - from < need) {
      return s.reject(RejectReason.TRUNCATED, to);
    }
    if (bracketed && b[from] != '[') {
      return s.reject(RejectReason.BAD_TIMESTAMP, from);
    }
    int start = bracketed ? from + 1 : from;
    int bad = s.time.parse(b, start, start + ClfTime.LENGTH);
    if (bad >= 0) {
      return s.reject(RejectReason.BAD_TIMESTAMP, bad);
    }
    if (bracketed && b[to - 1] != ']') {
      return s.reject(RejectReason.BAD_TIMESTAMP, to - 1);
    }
    return true;
  }

  private static boolean status(LineScanner s, byte[] b, int from, int to) {
    if (to - from < 1 || to - from > 3) {
      return s.reject(RejectReason.BAD_STATUS, from);
    }
    int v = 0;
    for (int p = from; p < to; p++) {
      int d = b[p] - '0';
      if (d < 0 || d > 9) {
        return s.reject(RejectReason.BAD_STATUS, p);
      }
      v = v * 10 + d;
    }
    s.status = v;
    return true;
  }

  /** Seconds with an optional fraction ({@code 0.123}, {@code 12}), stored as microseconds. */
  private static boolean seconds(LineScanner s, byte[] b, int from, int to) {
    if (isDash(b, from, to)) {
      s.durationMicros = null;
      return true;
    }
    long whole = 0;
    long micros = 0;
    long scale = 100_000;
    boolean dot = false;
    int digits = 0;
    for (int p = from; p < to; p++) {
      int d = b[p] - '0';
      if (b[p] == '.' && !dot) {
        dot = true;
      } else if (d < 0 || d > 9 || ++digits > 15) {
        return s.reject(RejectReason.BAD_NUMBER, p);
      } else if (!dot) {
        whole = whole * 10 + d;
      } else {
        micros += d * scale;
        scale /= 10;
      }
    }
    if (digits == 0) {
      return s.reject(RejectReason.BAD_NUMBER, from);
    }
    s.durationMicros = whole * 1_000_000L + micros;
    return true;
  }

  private static boolean vhostWithPort(LineScanner s, byte[] b, int from, int to) {
    int colon = to - 1;
    while (colon > from && b[colon] >= '0' && b[colon] <= '9') {
      colon--;
    }
    if (colon > from && colon < to - 1 && b[colon] == ':' && to - colon <= 6) {
      s.port = (int) number(b, colon + 1, to, 5);
      s.vhost = FieldText.plain(b, from, colon);
    } else {
      s.vhost = isDash(b, from, to) ? null : FieldText.plain(b, from, to);
    }
    return true;
  }

  /** A non-negative number; -1 for {@code -}; -2 when malformed or longer than maxDigits. */
  static long number(byte[] b, int from, int to, int maxDigits) {
    if (isDash(b, from, to)) {
      return -1;
    }
    if (to <= from || to - from > maxDigits) {
      return -2;
    }
    long v = 0;
    for (int p = from; p < to; p++) {
      int d = b[p] - '0';
      if (d < 0 || d > 9) {
        return -2;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** The first byte that is not a digit (or {@code from} when every byte is a digit). */
  private static int badAt(byte[] b, int from, int to) {
    for (int p = from; p < to; p++) {
      if (b[p] < '0' || b[p] > '9') {
        return p;
      }
    }
    return from;
  }

  static boolean isDash(byte[] b, int from, int to) {
    return to - from == 1 && b[from] == '-';
  }
}
