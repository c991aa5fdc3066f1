package io.oxbow.runtime.http.security;

import io.javalin.http.HandlerType;
import java.util.Optional;

/**
 * Which {@link Permission} a request needs, by method and path. Empty: the route is open (health,
 * metrics, static pages, or a route whose handler checks the key itself).
 */
@FunctionalInterface
public interface AccessPolicy {
  /** Every route open (a service with no API of its own). */
  AccessPolicy OPEN = (method, path) -> Optional.empty();

  /**
   * The permission a request needs.
   *
   * @param method the request method
   * @param path the request path, e.g. {@code /api/v1/dlq}
   * @return the permission, or empty when the route is open
   */
  Optional<Permission> required(HandlerType method, String path);

  /** Whether {@code path} is an operational endpoint ({@code /health/*}, {@code /metrics}). */
  static boolean operational(String path) {
    return path.startsWith("/health/") || path.equals("/metrics");
  }
}
