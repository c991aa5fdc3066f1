package io.oxbow.accesslog;

/**
 * Reads the Common Log Format time {@code dd/MMM/yyyy:HH:mm:ss +hhmm} (26 bytes) from log bytes
 * without creating objects.
 */
final class ClfTime {

  /** Length of {@code dd/MMM/yyyy:HH:mm:ss +hhmm}. */
  static final int LENGTH = 26;

  private static final int[] DAYS_IN_MONTH = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  private long epochMillis;
  private int offsetSeconds;

  /**
   * Parses the time at {@code b[p, p + 26)}.
   *
   * @return -1 on success, otherwise the index of the first offending byte
   */
  int parse(byte[] b, int p, int end) {
    if (end - p < LENGTH) {
      return Math.max(p, end);
    }
    int day = digits2(b, p);
    if (day < 1 || b[p + 2] != '/') {
      return day < 1 ? p : p + 2;
    }
    int month = month(b[p + 3], b[p + 4], b[p + 5]);
    if (month == 0 || b[p + 6] != '/') {
      return month == 0 ? p + 3 : p + 6;
    }
    int century = digits2(b, p + 7);
    int yearOfCentury = digits2(b, p + 9);
    int year = century * 100 + yearOfCentury;
    int hour = digits2(b, p + 12);
    int minute = digits2(b, p + 15);
    int second = digits2(b, p + 18);
    if (century < 0
        || yearOfCentury < 0
        || b[p + 11] != ':'
        || b[p + 14] != ':'
        || b[p + 17] != ':') {
      return p + 7;
    }
    if (day > DAYS_IN_MONTH[month - 1] || (month == 2 && day == 29 && !leap(year))) {
      return p;
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
      return p + 12;
    }
    int sign = b[p + 21] == '+' ? 1 : b[p + 21] == '-' ? -1 : 0;
    int offH = digits2(b, p + 22);
    int offM = digits2(b, p + 24);
    if (b[p + 20] != ' ') {
      return p + 20;
    }
    if (sign == 0 || offH < 0 || offH > 18 || offM < 0 || offM > 59) {
      return p + 21;
    }
    offsetSeconds = sign * (offH * 3600 + offM * 60);
    long local = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
    epochMillis = (local - offsetSeconds) * 1000L;
    return -1;
  }

  long epochMillis() {
    return epochMillis;
  }

  int offsetSeconds() {
    return offsetSeconds;
  }

  private static int digits2(byte[] b, int p) {
    int hi = b[p] - '0';
    int lo = b[p + 1] - '0';
    return hi < 0 || hi > 9 || lo < 0 || lo > 9 ? -1 : hi * 10 + lo;
  }

  /** 1..12 for an English month abbreviation in any case, else 0. */
  static int month(byte c0, byte c1, byte c2) {
    int key = ((c0 | 0x20) << 16) | ((c1 | 0x20) << 8) | (c2 | 0x20);
    switch (key) {
      case ('j' << 16) | ('a' << 8) | 'n':
        return 1;
      case ('f' << 16) | ('e' << 8) | 'b':
        return 2;
      case ('m' << 16) | ('a' << 8) | 'r':
        return 3;
      case ('a' << 16) | ('p' << 8) | 'r':
        return 4;
      case ('m' << 16) | ('a' << 8) | 'y':
        return 5;
      case ('j' << 16) | ('u' << 8) | 'n':
        return 6;
      case ('j' << 16) | ('u' << 8) | 'l':
        return 7;
      case ('a' << 16) | ('u' << 8) | 'g':
        return 8;
      case ('s' << 16) | ('e' << 8) | 'p':
        return 9;
      case ('o' << 16) | ('c' << 8) | 't':
        return 10;
      case ('n' << 16) | ('o' << 8) | 'v':
        return 11;
      case ('d' << 16) | ('e' << 8) | 'c':
        return 12;
      default:
        return 0;
    }
  }

  private static boolean leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
  static long epochDay(int y, int m, int d) {
    int yy = m <= 2 ? y - 1 : y;
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097L + doe - 719_468L;
  }
}
