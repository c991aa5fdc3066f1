package io.oxbow.views.record;

import java.util.Locale;

/**
 * The one definition of a referrer's domain, shared by the views' derived {@code referrer_domain}
 * of access logs and by order attribution (the stream processor's {@code referrer_domain} of
 * attributed orders), so the dimension means the same site in every view.
 *
 * <p>The domain is the host of a {@code scheme://} URL: lower case (ASCII rules, {@link
 * Locale#ROOT}), without user info, port, path, query or fragment, and without a leading {@code
 * www.}, so {@code https://www.Example.com/a} and {@code http://example.com:8080/b} are both {@code
 * example.com}. An IPv6 host keeps its brackets ({@code [2001:db8::1]}). It is null when the
 * referrer is null, blank, {@code -}, has no {@code scheme://}, or has an empty host. The URL is
 * read leniently (no validation of the characters of the host), because referrers in logs are sent
 * by clients and are often not valid URIs.
 */
public final class ReferrerDomain {
  private static final String WWW = "www.";

  private ReferrerDomain() {}

  /**
   * The domain of {@code referrer}.
   *
   * @param referrer a referrer as logged or recorded, may be null
   * @return the domain, or null when the referrer names none
   */
  public static String of(String referrer) {
    if (referrer == null) {
      return null;
    }
    String url = referrer.strip();
    int scheme = url.indexOf("://");
    if (scheme <= 0) {
      return null;
    }
    int start = scheme + 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String authority = url.substring(start, end);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    int port = authority.startsWith("[") ? authority.indexOf(']') + 1 : authority.indexOf(':');
    String host = (port > 0 ? authority.substring(0, port) : authority).toLowerCase(Locale.ROOT);
    if (host.startsWith(WWW) && host.length() > WWW.length()) {
      host = host.substring(WWW.length());
    }
    return host.isEmpty() ? null : host;
  }
}
