package io.oxbow.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake in an S3-compatible bucket ({@code s3://bucket/prefix}), through the AWS SDK v2.
 *
 * <p>S3 has no rename, but a PUT is atomic: readers see the old object, or the complete new one,
 * never a part. So {@link #publish} uploads the staged file straight to its final key. That keeps
 * the loader's protocol intact: the partition manifest (also one atomic PUT) stays the commit
 * point, and a file that a crash left published but not yet in the manifest carries its offsets in
 * its name, so the next owner adopts or removes it exactly as on a local disk. S3 lists are
 * strongly consistent (since December 2020), which recovery relies on.
 *
 * <p>Request checksums are computed only where S3 requires them, which keeps uploads plain PUTs
 * that S3-compatible servers (MinIO, s3rver, ...) store as sent; for the same reason payloads are
 * signed whole rather than in aws-chunked frames.
 */
public final class S3LakeStorage implements LakeStorage {
  private static final Logger log = LoggerFactory.getLogger(S3LakeStorage.class);

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final Path staging;

  /**
   * A lake under {@code prefix} (may be empty) of {@code bucket}.
   *
   * @param s3 the client; closed with this storage
   * @param staging local directory for files being written, and for downloaded copies while they
   *     are read
   */
  public S3LakeStorage(S3Client s3, String bucket, String prefix, Path staging) {
    this.s3 = Objects.requireNonNull(s3);
    this.bucket = Objects.requireNonNull(bucket);
    this.prefix = prefix == null || prefix.isEmpty() ? "" : stripSlashes(prefix) + "/";
    this.staging = staging;
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the staging directory " + staging, e);
    }
  }

  /**
   * A client for {@code s3://bucket/prefix}.
   *
   * @param endpoint an S3-compatible endpoint (MinIO, s3rver, ...) or null for AWS
   * @param region the signing region, e.g. {@code us-east-1}
   * @param pathStyle path-style addressing (needed by most S3-compatible servers)
   * @param accessKey access key, or null for the SDK's default credential chain
   * @param secretKey secret key (with {@code accessKey})
   */
  public static S3Client client(
      URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey) {
    AwsCredentialsProvider credentials =
        accessKey == null
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .forcePathStyle(pathStyle)
            // checksums only where S3 requires them: many S3-compatible servers store the
            // aws-chunked framing of default checksummed uploads as part of the object
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  @Override
  public Path stagingDir() {
    return staging;
  }

  @Override
  public void publish(Path staged, String key) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(prefix + key), RequestBody.fromFile(staged));
    } catch (RuntimeException e) {
      throw new IOException("cannot upload " + key + " to s3://" + bucket + "/" + prefix, e);
    }
    Files.deleteIfExists(staged);
  }

  @Override
  public void putAtomic(String key, byte[] content) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(prefix + key), RequestBody.fromBytes(content));
    } catch (RuntimeException e) {
      throw new IOException("cannot write " + key + " to s3://" + bucket + "/" + prefix, e);
    }
  }

  @Override
  public Optional<byte[]> read(String key) throws IOException {
    try {
      return Optional.of(
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + key + " from s3://" + bucket + "/" + prefix, e);
    }
  }

  @Override
  public List<StoredObject> listObjects(String folder) throws IOException {
    String full = prefix + (folder.isEmpty() ? "" : stripSlashes(folder) + "/");
    List<StoredObject> objects = new ArrayList<>();
    try {
      for (S3Object object :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(full)).contents()) {
        objects.add(
            new StoredObject(
                object.key().substring(prefix.length()), object.size(), object.eTag()));
      }
    } catch (RuntimeException e) {
      throw new IOException("cannot list s3://" + bucket + "/" + full, e);
    }
    objects.sort(Comparator.comparing(StoredObject::key));
    return objects;
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
    } catch (RuntimeException e) {
      throw new IOException("cannot delete " + key + " from s3://" + bucket + "/" + prefix, e);
    }
  }

  @Override
  public LocalCopy localCopy(String key) throws IOException {
    Path copy = Files.createTempFile(staging, "read-", ".parquet");
    Files.delete(copy);
    try {
      s3.getObject(b -> b.bucket(bucket).key(prefix + key), ResponseTransformer.toFile(copy));
    } catch (NoSuchKeyException e) {
      Files.deleteIfExists(copy);
      throw new NoSuchFileException(location() + key);
    } catch (RuntimeException e) {
      Files.deleteIfExists(copy);
      throw new IOException("cannot download " + key + " from s3://" + bucket + "/" + prefix, e);
    }
    return new LocalCopy() {
      @Override
      public Path path() {
        return copy;
      }

      @Override
      public void close() {
        try {
          Files.deleteIfExists(copy);
        } catch (IOException e) {
          log.warn("cannot remove the downloaded copy {}: {}", copy, e.toString());
        }
      }
    };
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public void close() {
    s3.close();
  }

  private static String stripSlashes(String text) {
    String s = text;
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
