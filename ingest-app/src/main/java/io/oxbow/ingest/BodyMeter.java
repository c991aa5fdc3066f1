package io.oxbow.ingest;

/**
 * Meters a request body chunk by chunk as it is read: says how much heap the records made from the
 * chunk will hold besides twice its bytes, and stops the read (an {@link
 * io.oxbow.runtime.http.ApiException}, e.g. 413) as soon as a count limit is passed, so neither the
 * limit nor the reservation waits for the whole body.
 */
interface BodyMeter {
  /** Reserves nothing extra and counts nothing. */
  BodyMeter NONE = (bytes, length) -> 0;

  /**
   * The bytes to reserve for {@code bytes[0, length)} besides twice its length.
   *
   * @throws io.oxbow.runtime.http.ApiException past a count limit
   */
  long chunk(byte[] bytes, int length);
}
