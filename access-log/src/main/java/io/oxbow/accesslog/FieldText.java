package io.oxbow.accesslog;

import java.nio.charset.StandardCharsets;

/**
 * Turns field bytes into Strings. Escapes written by Apache and nginx ({@code \"}, {@code \\},
 * {@code \xHH}, {@code \n}, {@code \t}, ...) are decoded when the result is clean UTF-8 text; when
 * decoding would produce invalid UTF-8 or control characters (TLS handshake bytes, legacy code
 * pages), the field is kept exactly as written so nothing is lost.
 */
final class FieldText {

  private FieldText() {}

  /** Text of {@code b[from, to)} that holds no escapes; the line is known to be valid UTF-8. */
  static String plain(byte[] b, int from, int to, boolean ascii) {
    return ascii ? new String(b, from, to - from, StandardCharsets.ISO_8859_1) : plain(b, from, to);
  }

  /** Text of {@code b[from, to)} that holds no escapes; the line is known to be valid UTF-8. */
  static String plain(byte[] b, int from, int to) {
    for (int p = from; p < to; p++) {
      if (b[p] < 0) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
      }
    }
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** Text of {@code b[from, to)}, decoding escapes if it contains a backslash. */
  static String decode(byte[] b, int from, int to, boolean escaped) {
    if (!escaped) {
      return plain(b, from, to);
    }
    byte[] out = new byte[to - from];
    int n = 0;
    for (int p = from; p < to; p++) {
      byte c = b[p];
      if (c != '\\' || p + 1 >= to) {
        out[n++] = c;
        continue;
      }
      byte e = b[++p];
      int v;
      switch (e) {
        case 'x':
          v = p + 2 < to ? hexPair(b[p + 1], b[p + 2]) : -1;
          if (v < 0) {
            return plain(b, from, to);
          }
          p += 2;
          break;
        case 'n':
          v = '\n';
          break;
        case 't':
          v = '\t';
          break;
        case 'r':
          v = '\r';
          break;
        case 'b':
          v = '\b';
          break;
        case 'v':
          v = 0x0b;
          break;
        default:
          v = e;
          break;
      }
      if ((v < 0x20 && v != '\t') || v == 0x7f) {
        return plain(b, from, to);
      }
      out[n++] = (byte) v;
    }
    if (Utf8.firstInvalid(out, 0, n) >= 0) {
      return plain(b, from, to);
    }
    return plain(out, 0, n);
  }

  private static int hexPair(byte hi, byte lo) {
    int h = Character.digit(hi, 16);
    int l = Character.digit(lo, 16);
    return h < 0 || l < 0 ? -1 : (h << 4) | l;
  }
}
