package io.oxbow.serving.query;

/**
 * A query the API cannot answer as asked: an unknown view (status 404) or a bad parameter (status
 * 400). The message starts with the offending parameter's name, e.g. {@code "groupBy: 'city' is not
 * a dimension of view 'traffic' (country, status_class, is_bot)"}.
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

  /** 404: there is no view called {@code view}. */
  public static QueryException unknownView(String view, Iterable<String> known) {
    return new QueryException(
        404, "view", "unknown view '" + view + "' (views: " + String.join(", ", known) + ")");
  }

  /** The HTTP status: 400 or 404. */
  public int status() {
    return status;
  }

  /** The parameter at fault ({@code view} for an unknown view). */
  public String parameter() {
    return parameter;
  }
}
