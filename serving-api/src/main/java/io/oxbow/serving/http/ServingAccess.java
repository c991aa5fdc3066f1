package io.oxbow.serving.http;

import io.javalin.http.HandlerType;
import io.oxbow.runtime.http.security.AccessPolicy;
import io.oxbow.runtime.http.security.Permission;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The permission each route of the serving API needs: {@code admin} for the dead letters ({@code
 * /api/v1/dlq}, raw log lines with client addresses), {@code read} for every other {@code /api/}
 * path (views, queries, status, and unknown paths), none for the API description ({@code
 * /api/v1/openapi.json}, {@code /api/v1/docs}), the dashboard's static files (they hold no data:
 * the page asks for a key and sends it with each API call), {@code /health/*} and {@code /metrics}.
 * Paths are compared with repeated slashes collapsed and in lower case, so no spelling of an API
 * path escapes the check.
 */
public final class ServingAccess implements AccessPolicy {
  private static final Set<String> OPEN_API =
      Set.of(ApiRoutes.BASE + "/openapi.json", ApiRoutes.BASE + "/docs");

  @Override
  public Optional<Permission> required(HandlerType method, String path) {
    String p = path.replaceAll("/{2,}", "/").toLowerCase(Locale.ROOT);
    if (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (!p.startsWith("/api/") || OPEN_API.contains(p)) {
      return Optional.empty();
    }
    if (p.equals(ApiRoutes.BASE + "/dlq") || p.startsWith(ApiRoutes.BASE + "/dlq/")) {
      return Optional.of(Permission.ADMIN);
    }
    return Optional.of(Permission.READ);
  }
}
