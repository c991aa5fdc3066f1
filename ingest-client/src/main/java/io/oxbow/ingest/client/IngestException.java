package io.oxbow.ingest.client;

import java.io.IOException;

/**
 * The ingest app did not acknowledge a request: it refused it for a reason that sending again
 * cannot fix ({@link #status()} is the answer's status, {@link #serverError()} the app's JSON
 * error), or the retry policy gave up, or the connection cannot be trusted ({@link #status()} is 0
 * when there was no answer).
 */
public final class IngestException extends IOException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_BODY_CHARS = 2000;

  private final int status;
  private final String serverError;

  private IngestException(String message, int status, String serverError, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.serverError = serverError;
  }

  /** An answer that is not retried (see {@link RetryPolicy#retries(int)}). */
  static IngestException refused(String request, int status, String body) {
    String error = body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body;
    return new IngestException(request + " answered " + status + ": " + error, status, error, null);
  }

  /** The retry policy's bound was reached. */
  static IngestException gaveUp(String request, int attempts, String lastFailure, Throwable cause) {
    return new IngestException(
        "gave up on " + request + " after " + attempts + " attempts: " + lastFailure, 0, "", cause);
  }

  /** A failure without an answer that is not retried (an untrusted certificate). */
  static IngestException failed(String request, IOException cause) {
    return new IngestException(request + " failed: " + cause.getMessage(), 0, "", cause);
  }

  /** The last answer's HTTP status, or 0 when there was none. */
  public int status() {
    return status;
  }

  /** The app's error body ({@code {"error": ..., "status": N, ...}}), or empty. */
  public String serverError() {
    return serverError;
  }
}
