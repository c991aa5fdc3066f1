package io.oxbow.runtime.http.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an API key may do. One key file serves ingest, the serving API and the schema registry, so
 * the permissions of all three live here:
 *
 * <ul>
 *   <li>{@code logs}: {@code POST /v1/logs} on ingest;
 *   <li>{@code orders}: {@code POST /v1/events/orders} on ingest;
 *   <li>{@code read}: the serving API's queries, views and status, and the registry's reads;
 *   <li>{@code admin}: the serving API's dead letters ({@code /api/v1/dlq}) and the registry's
 *       writes, configuration and deletes; an {@code admin} key may also {@code read}.
 * </ul>
 *
 * <p>In a key entry {@code *} stands for all of them.
 */
public enum Permission {
  /** Post log lines to ingest. */
  LOGS,
  /** Post order events to ingest. */
  ORDERS,
  /** Read views, status and schemas. */
  READ,
  /** Read dead letters; change or delete schemas and registry configuration. */
  ADMIN;

  /** The lower-case name used in key entries, e.g. {@code read}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code perm+perm} (or {@code *} for all).
   *
   * @throws IllegalArgumentException naming the unknown permission and the known ones
   */
  public static Set<Permission> parseAll(String text) {
    Set<Permission> out = EnumSet.noneOf(Permission.class);
    for (String part : text.split("\\+")) {
      String id = part.trim().toLowerCase(Locale.ROOT);
      if (id.equals("*")) {
        out.addAll(EnumSet.allOf(Permission.class));
        continue;
      }
      try {
        out.add(valueOf(id.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown permission \"" + part + "\" (known: logs, orders, read, admin, *)", e);
      }
    }
    return out;
  }
}
