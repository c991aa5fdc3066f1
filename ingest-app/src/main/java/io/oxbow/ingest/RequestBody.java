package io.oxbow.ingest;

import io.oxbow.runtime.http.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body into memory within the limits: at most {@code maxBytes} after decompression
 * (413 past it) and only while the shared {@link InflightBudget} has room (503 otherwise). Each
 * byte read reserves two bytes of the budget: one for the body, one for the Kafka records made from
 * it; {@link #reserveMore} adds what the records hold besides (per line or order). {@link #close()}
 * gives the reservation back.
 */
final class RequestBody implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;

  private final byte[] bytes;
  private final InflightBudget budget;
  private long reserved;

  private RequestBody(byte[] bytes, InflightBudget budget, long reserved) {
    this.bytes = bytes;
    this.budget = budget;
    this.reserved = reserved;
  }

  /**
   * Reads the whole body.
   *
   * @param in the raw request stream
   * @param contentEncoding the Content-Encoding header (null, identity or gzip)
   * @param contentLength the Content-Length header (-1 when unknown)
   * @param meter adds to each chunk's reservation and checks count limits as the body is read
   * @throws ApiException 413 over the limit, 415 for another encoding, 400 for broken gzip, 503
   *     when the budget is exhausted
   */
  static RequestBody read(
      InputStream in,
      String contentEncoding,
      long contentLength,
      long maxBytes,
      InflightBudget budget,
      int retryAfterSeconds,
      BodyMeter meter)
      throws IOException {
    boolean gzip = isGzip(contentEncoding);
    if (!gzip && contentLength > maxBytes) {
      throw tooLarge(maxBytes);
    }
    long reserved = 0;
    boolean done = false;
    try {
      InputStream source = gzip ? new GZIPInputStream(in, CHUNK) : in;
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(
              (int) Math.min(Math.max(contentLength, 1024), Math.min(maxBytes, CHUNK * 16L)));
      byte[] chunk = new byte[CHUNK];
      while (true) {
        int n = source.read(chunk);
        if (n < 0) {
          break;
        }
        if (out.size() + (long) n > maxBytes) {
          throw tooLarge(maxBytes);
        }
        long wanted = 2L * n + meter.chunk(chunk, n);
        if (!budget.tryReserve(wanted)) {
          throw ApiException.unavailable(
              "the ingest app is at its in-flight memory limit; retry later", retryAfterSeconds);
        }
        reserved += wanted;
        out.write(chunk, 0, n);
      }
      done = true;
      return new RequestBody(out.toByteArray(), budget, reserved);
    } catch (ZipException e) {
      throw new ApiException(400, "the body is not valid gzip: " + e.getMessage());
    } finally {
      if (!done) {
        budget.release(reserved);
      }
    }
  }

  private static boolean isGzip(String contentEncoding) {
    if (contentEncoding == null || contentEncoding.isBlank()) {
      return false;
    }
    String encoding = contentEncoding.trim().toLowerCase(Locale.ROOT);
    return switch (encoding) {
      case "identity" -> false;
      case "gzip", "x-gzip" -> true;
      default ->
          throw new ApiException(
              415, "unsupported Content-Encoding " + contentEncoding + " (gzip or identity)");
    };
  }

  private static ApiException tooLarge(long maxBytes) {
    return new ApiException(
        413, "the body is larger than the limit of " + maxBytes + " bytes (after decompression)");
  }

  byte[] bytes() {
    return bytes;
  }

  /** What this request reserved besides twice its body (what its meter asked for, and more). */
  long reservedBeyondTwiceTheBody() {
    return reserved - 2L * bytes.length;
  }

  /**
   * Reserves more of the budget for this request (e.g. for the objects its records will hold);
   * given back by {@link #close()}.
   *
   * @throws ApiException 503 when the budget has no room
   */
  void reserveMore(long more, int retryAfterSeconds) {
    if (!budget.tryReserve(more)) {
      throw ApiException.unavailable(
          "the ingest app is at its in-flight memory limit; retry later", retryAfterSeconds);
    }
    reserved += more;
  }

  @Override
  public void close() {
    budget.release(reserved);
    reserved = 0;
  }
}
