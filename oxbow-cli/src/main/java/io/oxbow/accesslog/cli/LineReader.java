package io.oxbow.accesslog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines on {@code \n} (the terminator is not included; a last line
 * without one is returned too). A line longer than {@code keepBytes} keeps its first {@code
 * keepBytes + 1} bytes, so the parser rejects it as too long without the reader holding it all.
 */
final class LineReader {

  private final InputStream in;
  private final int keepBytes;
  private final byte[] chunk = new byte[64 * 1024];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[1024];
  private int lineLen;

  LineReader(InputStream in, int keepBytes) {
    this.in = in;
    this.keepBytes = keepBytes;
  }

  /** The current line's bytes, valid until the next call of {@link #next()}. */
  byte[] buffer() {
    return line;
  }

  /** The current line's length (at most {@code keepBytes + 1}). */
  int length() {
    return lineLen;
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    lineLen = 0;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkLen) {
        chunkLen = in.read(chunk);
        chunkPos = 0;
        if (chunkLen <= 0) {
          chunkLen = 0;
          return any;
        }
      }
      any = true;
      int start = chunkPos;
      while (chunkPos < chunkLen && chunk[chunkPos] != '\n') {
        chunkPos++;
      }
      append(start, chunkPos - start);
      if (chunkPos < chunkLen) {
        chunkPos++;
        return true;
      }
    }
  }

  private void append(int from, int n) {
    int room = keepBytes + 1 - lineLen;
    int take = Math.min(n, room);
    if (take <= 0) {
      return;
    }
    if (lineLen + take > line.length) {
      line =
          Arrays.copyOf(line, Math.min(keepBytes + 1, Math.max(line.length * 2, lineLen + take)));
    }
    System.arraycopy(chunk, from, line, lineLen, take);
    lineLen += take;
  }
}
