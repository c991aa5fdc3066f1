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
 * it. {@link #close()} gives the reservation back. A refused body (400, 413, 415, 503) is read on
 * to its end, up to {@code maxBytes} more, without being kept, so the error reaches a client that
 * is still sending.
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
   * @throws ApiException 413 over the limit, 415 for another encoding, 400 for broken gzip, 503
   *     when the budget is exhausted
   */
  static RequestBody read(
      InputStream in,
      String contentEncoding,
      long contentLength,
      long maxBytes,
      InflightBudget budget,
      int retryAfterSeconds)
      throws IOException {
    Reservation reservation = new Reservation(budget);
    try {
      boolean gzip = isGzip(contentEncoding);
      if (!gzip && contentLength > maxBytes) {
        throw tooLarge(maxBytes);
      }
      byte[] bytes =
          readAll(
              gzip ? new GZIPInputStream(in, CHUNK) : in,
              contentLength,
              maxBytes,
              reservation,
              retryAfterSeconds);
      return new RequestBody(bytes, budget, reservation.take());
    } catch (ZipException e) {
      reservation.close();
      discardRest(in, maxBytes);
      throw new ApiException(400, "the body is not valid gzip: " + e.getMessage());
    } catch (ApiException e) {
      reservation.close();
      discardRest(in, maxBytes);
      throw e;
    } catch (IOException | RuntimeException e) {
      reservation.close();
      throw e;
    }
  }

  private static byte[] readAll(
      InputStream source,
      long contentLength,
      long maxBytes,
      Reservation reservation,
      int retryAfterSeconds)
      throws IOException {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(
            (int) Math.min(Math.max(contentLength, 1024), Math.min(maxBytes, CHUNK * 16L)));
    byte[] chunk = new byte[CHUNK];
    for (int n = source.read(chunk); n >= 0; n = source.read(chunk)) {
      if (out.size() + (long) n > maxBytes) {
        throw tooLarge(maxBytes);
      }
      if (!reservation.grow(2L * n)) {
        throw ApiException.unavailable(
            "the ingest app is at its in-flight memory limit; retry later", retryAfterSeconds);
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Reads and drops what is left of a rejected body, at most {@code limit} bytes, so the client has
   * finished sending when the error goes out: a server that answers while the client is still
   * writing and then closes the connection resets it, and the client may never see the answer.
   */
  private static void discardRest(InputStream in, long limit) throws IOException {
    byte[] scratch = new byte[CHUNK];
    long discarded = 0;
    while (discarded < limit) {
      int n = in.read(scratch);
      if (n < 0) {
        return;
      }
      discarded += n;
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

  /** Bytes of the budget held while a body is read; given back unless taken. */
  private static final class Reservation implements AutoCloseable {
    private final InflightBudget budget;
    private long held;

    Reservation(InflightBudget budget) {
      this.budget = budget;
    }

    boolean grow(long bytes) {
      if (!budget.tryReserve(bytes)) {
        return false;
      }
      held += bytes;
      return true;
    }

    long take() {
      long taken = held;
      held = 0;
      return taken;
    }

    @Override
    public void close() {
      budget.release(take());
    }
  }

  byte[] bytes() {
    return bytes;
  }

  @Override
  public void close() {
    budget.release(reserved);
    reserved = 0;
  }
}
