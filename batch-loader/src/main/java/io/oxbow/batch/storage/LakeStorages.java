package io.oxbow.batch.storage;

import io.oxbow.batch.BatchConfig;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens the lake a {@link BatchConfig} names: S3 when {@code batch.lake-uri} is set, else local.
 */
public final class LakeStorages {
  private LakeStorages() {}

  /** The configured lake. */
  public static LakeStorage open(BatchConfig config) {
    if (config.lakeUri().isEmpty()) {
      return new LocalLakeStorage(config.lakeDir());
    }
    URI uri = config.lakeUri().get();
    BatchConfig.S3Settings s3 = config.s3();
    Path staging =
        Path.of(System.getProperty("java.io.tmpdir"), "oxbow-batch-staging-" + uri.getHost());
    return new S3LakeStorage(
        S3LakeStorage.client(
            s3.endpoint().orElse(null),
            s3.region(),
            s3.pathStyle(),
            s3.accessKey().orElse(null),
            s3.secretKey().orElse(null)),
        uri.getHost(),
        uri.getPath(),
        staging);
  }
}
