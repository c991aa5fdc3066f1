package io.oxbow.lake;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a service finds the lake: a local directory, or an S3 bucket when {@code uri} is set.
 *
 * @param dir the local lake root (used when {@code uri} is empty)
 * @param uri {@code s3://bucket/prefix}, or empty for the local directory
 * @param s3 how to reach S3
 */
public record LakeLocation(Path dir, Optional<URI> uri, S3Settings s3) {
  /** A local lake at {@code dir}. */
  public static LakeLocation local(Path dir) {
    return new LakeLocation(
        dir,
        Optional.empty(),
        new S3Settings(
            Optional.empty(),
            LakeSettings.DEFAULT_REGION,
            true,
            Optional.empty(),
            Optional.empty()));
  }

  /**
   * A lake at {@code uri} ({@code s3://bucket/prefix}) in S3-compatible storage at {@code
   * endpoint}, path-style, with static credentials.
   */
  public static LakeLocation s3(URI uri, URI endpoint, String accessKey, String secretKey) {
    return new LakeLocation(
        Path.of(""),
        Optional.of(uri),
        new S3Settings(
            Optional.of(endpoint),
            LakeSettings.DEFAULT_REGION,
            true,
            Optional.of(accessKey),
            Optional.of(secretKey)));
  }

  /** Where it is, for logs: the directory or the URI. */
  public String describe() {
    return uri.map(URI::toString).orElseGet(() -> dir.toString());
  }
}
