package io.oxbow.accesslog;

/** UTF-8 validation on raw bytes (no decoding, no allocation). */
final class Utf8 {

  private Utf8() {}

  /** Index of the first byte that is not part of a valid UTF-8 sequence, or -1. */
  static int firstInvalid(byte[] b, int from, int to) {
    int p = from;
    while (p < to) {
      int c = b[p];
      if (c >= 0) {
        p++;
        continue;
      }
      c &= 0xff;
      int need;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        min = 0x10000;
      } else {
        return p;
      }
      if (p + need >= to) {
        return p;
      }
      int cp = c & (0x3f >> need);
      for (int i = 1; i <= need; i++) {
        int cc = b[p + i] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return p;
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return p;
      }
      p += need + 1;
    }
    return -1;
  }
}
