package io.oxbow.views;

/**
 * A view definition is invalid (unknown field, wrong metric type, bad window, malformed filter,
 * duplicate name...) or an aggregate does not match its definition. Thrown when definitions are
 * loaded, so a service fails at start; the message names the file, the view and the field.
 */
public class ViewDefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error whose message names the view and the offending field. */
  public ViewDefinitionException(String message) {
    super(message);
  }

  /** An error whose message names the view and the offending field, with its cause. */
  public ViewDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
