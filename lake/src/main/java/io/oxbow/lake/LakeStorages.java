package io.oxbow.lake;

import java.net.URI;
import java.nio.file.Path;

/** Opens the lake a {@link LakeLocation} names: S3 when it has a URI, else the local directory. */
public final class LakeStorages {
  private LakeStorages() {}

  /**
   * The lake at {@code location}.
   *
   * @param staging name of the local folder (under {@code java.io.tmpdir}) where files going to or
   *     coming from S3 are kept while written or read; unused for a local lake
   */
  public static LakeStorage open(LakeLocation location, String staging) {
    if (location.uri().isEmpty()) {
      return new LocalLakeStorage(location.dir());
    }
    URI uri = location.uri().get();
    S3Settings s3 = location.s3();
    return new S3LakeStorage(
        S3LakeStorage.client(
            s3.endpoint().orElse(null),
            s3.region(),
            s3.pathStyle(),
            s3.accessKey().orElse(null),
            s3.secretKey().orElse(null)),
        uri.getHost(),
        uri.getPath(),
        Path.of(System.getProperty("java.io.tmpdir"), staging + "-" + uri.getHost()));
  }
}
