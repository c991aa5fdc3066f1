package io.oxbow.ingest.agent;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.GZIPInputStream;

/**
 * One file the agent reads: a live or rotated plain file (random access through an open channel,
 * which keeps working after the file is renamed or deleted) or a rotated {@code .gz} file (read
 * forward, reopened to go back).
 */
final class Segment implements Closeable {
  private final Path path;
  private final boolean gzip;
  private final String fileKey;
  private FileChannel channel;
  private InputStream gzipStream;
  private byte[] window = new byte[0];
  private long windowStart;

  private Segment(Path path, boolean gzip, String fileKey) throws IOException {
    this.path = path;
    this.gzip = gzip;
    this.fileKey = fileKey;
    if (!gzip) {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    }
  }

  /** Opens a file; names ending in {@code .gz} are read decompressed. */
  static Segment open(Path path) throws IOException {
    return new Segment(path, path.getFileName().toString().endsWith(".gz"), fileKey(path));
  }

  /** The file system identity of a path (device and inode on Linux), or null if missing. */
  static String fileKey(Path path) {
    try {
      Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      return key == null ? path.toAbsolutePath().toString() : key.toString();
    } catch (IOException e) {
      return null;
    }
  }

  Path path() {
    return path;
  }

  String fileKey() {
    return fileKey;
  }

  boolean compressed() {
    return gzip;
  }

  /** Up to {@code max} bytes from {@code position}; fewer at the end of the file. */
  byte[] read(long position, int max) throws IOException {
    return gzip ? readGzip(position, max) : readPlain(position, max);
  }

  private byte[] readPlain(long position, int max) throws IOException {
    long available = channel.size() - position;
    if (available <= 0) {
      return new byte[0];
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(max, available));
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n <= 0) {
        break;
      }
      at += n;
    }
    byte[] bytes = new byte[buffer.position()];
    buffer.flip().get(bytes);
    return bytes;
  }

  private byte[] readGzip(long position, int max) throws IOException {
    // the last bytes returned stay available: the tailer re-reads from the end of its last
    // complete line, which lies within them, so a .gz file is decompressed once, front to back
    long windowEnd = windowStart + window.length;
    if (gzipStream == null || position < windowStart || position > windowEnd) {
      closeGzip();
      gzipStream = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(path)), 65536);
      long skip = position;
      while (skip > 0) {
        long skipped = gzipStream.skip(skip);
        if (skipped <= 0) {
          break;
        }
        skip -= skipped;
      }
      window = new byte[0];
      windowStart = position - skip;
      windowEnd = windowStart;
      if (skip > 0) {
        return new byte[0];
      }
    }
    int from = (int) (position - windowStart);
    if (windowEnd - position >= max) {
      return java.util.Arrays.copyOfRange(window, from, from + max);
    }
    int kept = (int) (windowEnd - position);
    byte[] bytes = new byte[max];
    System.arraycopy(window, from, bytes, 0, kept);
    int read = kept + gzipStream.readNBytes(bytes, kept, max - kept);
    window = java.util.Arrays.copyOf(bytes, read);
    windowStart = position;
    return window.clone();
  }

  private void closeGzip() throws IOException {
    if (gzipStream != null) {
      gzipStream.close();
      gzipStream = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeGzip();
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
