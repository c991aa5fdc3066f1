package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.AccessLogEvent;
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

  static boolean isPageView(AccessLogEvent e) {
    if (!e.getRequestValid() || e.getIsBot() || !"GET".equals(e.getMethod())) {
      return false;
    }
    if (e.getStatus() < 200 || e.getStatus() >= 400 || e.getPath() == null) {
      return false;
    }
    String path = e.getPath();
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash) {
      return true;
    }
    return !ASSETS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
