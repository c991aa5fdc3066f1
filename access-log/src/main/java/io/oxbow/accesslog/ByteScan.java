package io.oxbow.accesslog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Word-at-a-time byte searches (eight bytes per step, "SWAR"): the parser's hot loops over long
 * quoted fields and the ASCII check of every line.
 */
final class ByteScan {

  /** Reads eight bytes of an array as one little-endian {@code long}. */
  static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** {@code 0x01} in every byte of a word. */
  static final long ONES = 0x0101010101010101L;

  /** The high bit of every byte of a word. */
  static final long HIGHS = 0x8080808080808080L;

  /** {@code "} in every byte of a word. */
  static final long QUOTES = '"' * ONES;

  /** {@code \\} in every byte of a word. */
  static final long BACKSLASHES = '\\' * ONES;

  private ByteScan() {}

  /** True when every byte of {@code b[from, to)} is ASCII (below 0x80). */
  static boolean isAscii(byte[] b, int from, int to) {
    int p = from;
    long acc = 0;
    for (; p + 8 <= to; p += 8) {
      acc |= (long) LONGS.get(b, p);
    }
    for (; p < to; p++) {
      acc |= b[p];
    }
    return (acc & HIGHS) == 0;
  }

  /** Index of the first {@code "} or {@code \} in {@code b[from, to)}, or {@code to}. */
  static int indexOfQuoteOrBackslash(byte[] b, int from, int to) {
    int p = from;
    for (; p + 8 <= to; p += 8) {
      long x = (long) LONGS.get(b, p);
      long hits = zeroBytes(x ^ QUOTES) | zeroBytes(x ^ BACKSLASHES);
      if (hits != 0) {
        // the lowest flagged byte is exact (later flags may be borrow artefacts)
        return p + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
    }
    for (; p < to; p++) {
      if (b[p] == '"' || b[p] == '\\') {
        return p;
      }
    }
    return to;
  }

  /** High bit set in each byte of the result where {@code x} has a zero byte (lowest exact). */
  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }
}
