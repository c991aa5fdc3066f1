package io.oxbow.stream.topology;

import java.util.Locale;
import java.util.Set;

/**
 * What counts as a page view for order attribution: a valid GET request answered 2xx or 3xx, by a
 * client that is not a bot, of a path that is not a static asset (by extension: css, js, images,
 * fonts, feeds).
 */
final class PageViews {
  private static final Set<String> ASSETS =
      Set.of(
          "css", "js", "map", "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "woff", "woff2",
          "ttf", "eot", "xml", "rss", "txt");

  private PageViews() {}

  /**
   * Whether an event with these fields is a page view.
   *
   * @param requestValid the event's request_valid
   * @param bot the event's is_bot
   * @param method the request method, or null
   * @param status the final status
   * @param path the request path, or null
   */
  static boolean isPageView(
      boolean requestValid, boolean bot, String method, int status, String path) {
    if (!requestValid || bot || !"GET".equals(method)) {
      return false;
    }
    if (status < 200 || status >= 400 || path == null) {
      return false;
    }
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash) {
      return true;
    }
    return !ASSETS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
