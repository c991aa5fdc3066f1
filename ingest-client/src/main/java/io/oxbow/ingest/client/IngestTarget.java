package io.oxbow.ingest.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the ingest app's instances are and how to reach them.
 *
 * @param baseUrls the base URLs of one or more instances of the ingest app, e.g. {@code
 *     http://127.0.0.1:8080} or {@code https://ingest-1.example.com}; the client posts to {@code
 *     /v1/logs} and {@code /v1/events/orders} under one of them and fails over to the next (see
 *     {@link IngestUrls}); duplicates are dropped, the order is kept
 * @param apiKey the API key sent as {@code Authorization: Bearer ...}, or null where the app runs
 *     without authentication
 * @param caFile a PEM file of the certificate authorities to trust for HTTPS, or null for the JVM's
 *     default trust store (certificates and host names are always verified)
 */
public record IngestTarget(List<URI> baseUrls, String apiKey, Path caFile) {
  /** Checks the URLs. */
  public IngestTarget {
    Objects.requireNonNull(baseUrls, "baseUrls");
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("at least one ingest URL is needed");
    }
    for (URI url : baseUrls) {
      checkUrl(url);
    }
    baseUrls = List.copyOf(new LinkedHashSet<>(baseUrls));
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
  }

  /** A target of one instance. */
  public IngestTarget(URI baseUrl, String apiKey, Path caFile) {
    this(List.of(Objects.requireNonNull(baseUrl, "baseUrl")), apiKey, caFile);
  }

  /** A target of one instance without TLS options. */
  public static IngestTarget of(URI baseUrl, String apiKey) {
    return new IngestTarget(baseUrl, apiKey, null);
  }

  /**
   * The URLs of a command-line value: each value may itself hold several URLs separated by commas
   * ({@code --to http://a:8080,http://b:8080} or {@code --to http://a:8080 --to http://b:8080}).
   *
   * @throws IllegalArgumentException naming the value when a URL is not http(s)://host:port
   */
  public static List<URI> parseUrls(List<String> values) {
    List<URI> urls = new ArrayList<>();
    for (String value : values) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          try {
            urls.add(checkUrl(URI.create(part.trim())));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "the ingest URL must be http://host:port or https://host:port, was " + part.trim(),
                e);
          }
        }
      }
    }
    return urls;
  }

  private static URI checkUrl(URI url) {
    Objects.requireNonNull(url, "baseUrl");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new IllegalArgumentException(
          "the ingest URL must be http://host:port or https://host:port, was " + url);
    }
    return url;
  }
}
