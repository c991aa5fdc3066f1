package io.oxbow.serving.query;

/**
 * A query the API cannot answer as asked: an unknown view (status 404), a bad parameter (status
 * 400), or a query that ran out of time (status 503, try again later). The message starts with the
 * offending parameter's name, e.g. {@code "groupBy: 'city' is not a dimension of view 'traffic'
 * (country, status_class, is_bot)"}.
 */
public final class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String parameter;

  private QueryException(int status, String parameter, String message) {
    super(message);
    this.status = status;
    this.parameter = parameter;
  }

  /** 400 about {@code parameter}; the message is prefixed with the parameter's name. */
  public static QueryException badParameter(String parameter, String problem) {
    return new QueryException(400, parameter, parameter + ": " + problem);
  }

  /**
   * 503: the query computed longer than {@code timeout} and was given up (retry later, or ask for
   * less).
   */
  public static QueryException timedOut(java.time.Duration timeout) {
    return new QueryException(
        503,
        "query",
        "query: not answered within "
            + timeout.toMillis()
            + " ms and given up; narrow from/to, use a coarser granularity or retry later");
  }

  /**
   * 503: the batch view changed while the query read it, again and again; a retry later reads the
   * new version.
   */
  public static QueryException batchViewChanging(String view) {
    return new QueryException(
        503,
        "view",
        "view: the batch view of '" + view + "' was replaced while it was read; retry later");
  }

  /**
   * 503: the lake holding the batch view cannot be read now (storage unreachable or refusing); a
   * retry later may succeed.
   */
  public static QueryException lakeUnavailable(String view) {
    return new QueryException(
        503,
        "view",
        "view: the batch view of '" + view + "' cannot be read from the lake now; retry later");
  }

  /** 404: there is no view called {@code view}. */
  public static QueryException unknownView(String view, Iterable<String> known) {
    return new QueryException(
        404, "view", "unknown view '" + view + "' (views: " + String.join(", ", known) + ")");
  }

  /** The HTTP status: 400, 404 or 503. */
  public int status() {
    return status;
  }

  /**
   * The parameter at fault ({@code view} for an unknown view or a batch view being replaced, {@code
   * query} for a timeout).
   */
  public String parameter() {
    return parameter;
  }
}
