package io.oxbow.runtime.http.security;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.oxbow.runtime.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the API key of each request against an {@link AccessPolicy}, as a before-handler, or
 * called by a handler through {@link #authorize(Context, Permission)}.
 *
 * <p>A request presents its key as {@code Authorization: Bearer <key>}, or as the password of
 * {@code Authorization: Basic} (the user name is ignored), which is what Confluent clients send
 * with {@code basic.auth.user.info=NAME:KEY}. Outcomes:
 *
 * <ul>
 *   <li>route open, or no keys configured: the request goes on (as {@link ApiKey#ANONYMOUS});
 *   <li>no key, or a key not in the ring: 401 with {@code WWW-Authenticate};
 *   <li>a key without the route's permission: 403 naming the permission, never the key's name;
 *   <li>otherwise the request goes on, the key stored under {@link #PRINCIPAL}.
 * </ul>
 *
 * <p>Errors are thrown as the service's own exception type ({@link ApiException} by default, whose
 * answer is {@code {"error":"...","status":401}}), so each service answers in its usual JSON shape.
 * Secrets and key names are never logged.
 */
public final class Authorizer implements Handler {
  /** The request attribute holding the {@link ApiKey} of an authorized request. */
  public static final String PRINCIPAL = "oxbow.principal";

  private static final Logger log = LoggerFactory.getLogger(Authorizer.class);

  private final ApiKeyRing ring;
  private final AccessPolicy policy;
  private final BiFunction<Integer, String, RuntimeException> refusal;
  private final String realm;

  /**
   * An authorizer.
   *
   * @param ring the keys accepted
   * @param policy the permission each route needs
   * @param refusal makes the exception answering a status and message (the service's shape)
   * @param realm the realm of {@code WWW-Authenticate}, e.g. {@code oxbow}
   */
  public Authorizer(
      ApiKeyRing ring,
      AccessPolicy policy,
      BiFunction<Integer, String, RuntimeException> refusal,
      String realm) {
    this.ring = Objects.requireNonNull(ring);
    this.policy = Objects.requireNonNull(policy);
    this.refusal = Objects.requireNonNull(refusal);
    this.realm = Objects.requireNonNull(realm);
  }

  /** The default refusal: an {@link ApiException}, answered as Oxbow's JSON error. */
  public static RuntimeException apiException(int status, String message) {
    return new ApiException(status, message, List.of(), Map.of());
  }

  @Override
  public void handle(Context ctx) {
    Optional<Permission> needed = policy.required(ctx.method(), ctx.path());
    if (needed.isPresent()) {
      authorize(ctx, needed.get());
    }
  }

  /**
   * Checks the request's key for {@code permission} and stores it under {@link #PRINCIPAL}.
   *
   * @return the key ({@link ApiKey#ANONYMOUS} when no keys are configured)
   * @throws RuntimeException the refusal: 401 without a valid key, 403 without the permission
   */
  public ApiKey authorize(Context ctx, Permission permission) {
    ApiKey key = ring.isEmpty() ? ApiKey.ANONYMOUS : check(ctx, permission);
    ctx.attribute(PRINCIPAL, key);
    return key;
  }

  private ApiKey check(Context ctx, Permission permission) {
    String secret = secret(ctx.header("Authorization"));
    if (secret == null) {
      throw unauthorized(ctx, "an API key is required: send Authorization: Bearer <key>");
    }
    Optional<ApiKey> key = ring.find(secret);
    if (key.isEmpty()) {
      throw unauthorized(ctx, "the API key is not valid");
    }
    if (!key.get().may(permission)) {
      log.debug("{} {}: refused, the key lacks {}", ctx.method(), ctx.path(), permission.id());
      throw refusal.apply(
          403,
          "this API key lacks the permission \""
              + permission.id()
              + "\" that "
              + ctx.method()
              + " "
              + ctx.path()
              + " needs");
    }
    return key.get();
  }

  private RuntimeException unauthorized(Context ctx, String message) {
    log.debug("{} {}: refused: {}", ctx.method(), ctx.path(), message);
    ctx.header("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
    ctx.res().addHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
    return refusal.apply(401, message);
  }

  /** The key in a Bearer or Basic Authorization header, or null. */
  static String secret(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = value.substring(7).trim();
      return key.isEmpty() ? null : key;
    }
    if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        String key = colon < 0 ? "" : pair.substring(colon + 1);
        return key.isEmpty() ? null : key;
      } catch (IllegalArgumentException notBase64) {
        return null;
      }
    }
    return null;
  }
}
