package io.oxbow.ingest;

import io.oxbow.runtime.http.ApiException;
import io.oxbow.runtime.http.ApiException.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems of one request: keeps the first {@code maxListed} and counts the rest, so a body of
 * millions of bad items answers with a short list and the total instead of a huge error document.
 */
final class FieldErrors {
  private final int maxListed;
  private final List<FieldError> listed = new ArrayList<>();
  private int count;

  FieldErrors(int maxListed) {
    this.maxListed = maxListed;
  }

  void add(int index, String field, String message) {
    count++;
    if (listed.size() < maxListed) {
      listed.add(new FieldError(index, field, message));
    }
  }

  /** Problems seen so far, listed or not. */
  int count() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /**
   * A 400 whose message starts with the total, e.g. {@code 250000 problem(s) in the orders (the
   * first 100 listed); nothing was written}.
   */
  ApiException badRequest(String what) {
    String shown = count > listed.size() ? " (the first " + listed.size() + " listed)" : "";
    return ApiException.badRequest(
        count + " " + what + shown + "; nothing was written", List.copyOf(listed));
  }
}
