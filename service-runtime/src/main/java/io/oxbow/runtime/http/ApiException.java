package io.oxbow.runtime.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request failed in a way the client should hear about. Thrown from a route handler of an {@link
 * HttpService}, it becomes a JSON response with the given status:
 *
 * <pre>{@code
 * {"error": "message", "status": 400, "errors": [{"index": 2, "field": "amount", "message": "..."}]}
 * }</pre>
 *
 * <p>{@code errors} appears only when field errors are given; {@code headers} (e.g. {@code
 * Retry-After}) are added to the response. Never carries a stack trace to the client.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status. */
  private final int status;

  /** Per-field problems, possibly empty. */
  private final transient List<FieldError> errors;

  /** Extra response headers, possibly empty. */
  private final transient Map<String, String> headers;

  /**
   * A problem with everything spelled out.
   *
   * @param status HTTP status, 400..599
   * @param message the {@code error} text of the body
   * @param errors per-field problems (may be empty)
   * @param headers extra response headers (may be empty)
   */
  public ApiException(
      int status, String message, List<FieldError> errors, Map<String, String> headers) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an error status is 400..599, was " + status);
    }
    this.status = status;
    this.errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
    this.headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
  }

  /** A problem with a status and a message only. */
  public ApiException(int status, String message) {
    this(status, message, List.of(), Map.of());
  }

  /** 400 Bad Request with per-field errors. */
  public static ApiException badRequest(String message, List<FieldError> errors) {
    return new ApiException(400, message, errors, Map.of());
  }

  /** 503 Service Unavailable with {@code Retry-After: retryAfterSeconds}. */
  public static ApiException unavailable(String message, long retryAfterSeconds) {
    return new ApiException(
        503, message, List.of(), Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** Per-field problems; empty when the error is about the request as a whole. */
  public List<FieldError> errors() {
    return errors;
  }

  /** Extra response headers. */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * One problem with one field of one item of a request.
   *
   * @param index position of the item in the request (0 for a single object), or -1 when the
   *     request has no items
   * @param field the field's name as the client spelled it, e.g. {@code amount} or {@code
   *     items[1].price}
   * @param message what is wrong and what is expected
   */
  public record FieldError(int index, String field, String message) {}
}
