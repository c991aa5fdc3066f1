package io.oxbow.views.record;

import java.util.Locale;
import java.util.Set;

/**
 * The one definition of a page view, shared by order attribution and sessionization in the speed
 * layer and by sessionization in the batch layer: a valid GET request answered 2xx or 3xx, by a
 * client that is not a bot by its user agent, of a path that is not a static asset (by extension:
 * css, js, source maps, images, fonts, feeds, text).
 */
public final class PageViewRule {
  private static final Set<String> ASSETS =
      Set.of(
          "css", "js", "map", "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "woff", "woff2",
          "ttf", "eot", "xml", "rss", "txt");

  private PageViewRule() {}

  /**
   * Whether an access-log event with these fields is a page view.
   *
   * @param requestValid the event's request_valid
   * @param bot the event's is_bot (the user-agent classification)
   * @param method the request method, or null
   * @param status the final status
   * @param path the request path, or null
   */
  public static boolean isPageView(
      boolean requestValid, boolean bot, String method, int status, String path) {
    if (!requestValid || bot || !"GET".equals(method)) {
      return false;
    }
    if (status < 200 || status >= 400 || path == null) {
      return false;
    }
    return !isAsset(path);
  }

  /** Whether {@code path} names a static asset by its extension (case-insensitive). */
  public static boolean isAsset(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash) {
      return false;
    }
    return ASSETS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
