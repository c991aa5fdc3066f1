package io.oxbow.ingest.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the ingest app is and how to reach it.
 *
 * @param baseUrl the app's base URL, e.g. {@code http://127.0.0.1:8080} or {@code
 *     https://ingest.example.com}; the client posts to {@code /v1/logs} and {@code
 *     /v1/events/orders} under it
 * @param apiKey the API key sent as {@code Authorization: Bearer ...}, or null where the app runs
 *     without authentication
 * @param caFile a PEM file of the certificate authorities to trust for HTTPS, or null for the JVM's
 *     default trust store (certificates and host names are always verified)
 */
public record IngestTarget(URI baseUrl, String apiKey, Path caFile) {
  /** Checks the URL. */
  public IngestTarget {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "the ingest URL must be http://host:port or https://host:port, was " + baseUrl);
    }
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
  }

  /** A target without TLS options. */
  public static IngestTarget of(URI baseUrl, String apiKey) {
    return new IngestTarget(baseUrl, apiKey, null);
  }
}
