package io.oxbow.registry.server;

import io.javalin.http.HandlerType;
import io.oxbow.runtime.http.security.AccessPolicy;
import io.oxbow.runtime.http.security.Permission;
import java.util.Locale;
import java.util.Optional;

/**
 * The permission each registry route needs: {@code read} for every GET, for looking a schema up
 * ({@code POST /subjects/{subject}}) and for compatibility checks ({@code POST
 * /compatibility/...}), which change nothing; {@code admin} for registering schemas, configuration,
 * mode and deletes (every other POST, PUT and DELETE). {@code /health/*} and {@code /metrics} are
 * open. Paths are compared with repeated slashes collapsed and in lower case.
 */
final class RegistryAccess implements AccessPolicy {
  @Override
  public Optional<Permission> required(HandlerType method, String path) {
    String p = path.replaceAll("/{2,}", "/").toLowerCase(Locale.ROOT);
    if (AccessPolicy.operational(p)) {
      return Optional.empty();
    }
    if (method == HandlerType.GET || method == HandlerType.HEAD) {
      return Optional.of(Permission.READ);
    }
    if (method == HandlerType.POST) {
      String[] segments = p.replaceAll("/$", "").split("/");
      boolean lookup = segments.length == 3 && segments[1].equals("subjects");
      if (lookup || p.startsWith("/compatibility/")) {
        return Optional.of(Permission.READ);
      }
    }
    return Optional.of(Permission.ADMIN);
  }
}
