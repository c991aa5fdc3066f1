package io.oxbow.runtime.http.security;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Refuses requests that change state (POST, PUT, PATCH, DELETE) when a browser says they come from
 * another site: {@code Sec-Fetch-Site: cross-site}, an {@code Origin} of {@code null}, or an {@code
 * Origin} whose host and port differ from the request's {@code Host}. A web page can send a {@code
 * text/plain} POST anywhere without a CORS preflight; this check is what stops it from writing to
 * an API that accepts anonymous writes. Clients that are not browsers send neither header and pass.
 * Refused: 403.
 */
public final class OriginCheck implements Handler {
  private static final Set<HandlerType> UNSAFE =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  private final BiFunction<Integer, String, RuntimeException> refusal;

  /** A check answering refusals with {@code refusal} (the service's error shape). */
  public OriginCheck(BiFunction<Integer, String, RuntimeException> refusal) {
    this.refusal = refusal;
  }

  @Override
  public void handle(Context ctx) {
    if (!UNSAFE.contains(ctx.method())) {
      return;
    }
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
      throw refusal.apply(403, "cross-site requests are refused (Sec-Fetch-Site: cross-site)");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !sameAuthority(origin, ctx.header("Host"), ctx.scheme())) {
      throw refusal.apply(
          403, "cross-origin requests are refused: the Origin is not this server's Host");
    }
  }

  static boolean sameAuthority(String origin, String host, String scheme) {
    if (host == null || origin.trim().equalsIgnoreCase("null")) {
      return false;
    }
    try {
      URI uri = URI.create(origin.trim());
      if (uri.getHost() == null) {
        return false;
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
      URI self = URI.create(scheme + "://" + host.trim());
      int selfPort = self.getPort() >= 0 ? self.getPort() : defaultPort(scheme);
      return self.getHost() != null
          && uri.getHost().toLowerCase(Locale.ROOT).equals(self.getHost().toLowerCase(Locale.ROOT))
          && port == selfPort;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int defaultPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }
}
