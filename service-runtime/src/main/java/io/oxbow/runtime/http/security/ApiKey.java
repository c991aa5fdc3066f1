package io.oxbow.runtime.http.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * A configured API key, as a request that presented it is known: its name (for logs and metrics;
 * never shown to a caller) and its permissions.
 *
 * @param name the key's name from its entry
 * @param permissions what it may do
 */
public record ApiKey(String name, Set<Permission> permissions) {
  /** The principal of requests when no keys are configured. */
  public static final ApiKey ANONYMOUS = new ApiKey("anonymous", EnumSet.allOf(Permission.class));

  /** Copies the permissions. */
  public ApiKey {
    permissions = Set.copyOf(permissions);
  }

  /**
   * Whether this key may do what {@code permission} allows ({@code admin} implies {@code read}).
   */
  public boolean may(Permission permission) {
    return permissions.contains(permission)
        || (permission == Permission.READ && permissions.contains(Permission.ADMIN));
  }
}
