package io.oxbow.lake;

import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.config.Setting;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings that name the lake, defined once for every service that reads or writes it: {@code
 * <service>.lake-dir} (else {@code oxbow.lake-dir}, default {@code ./data/lake}), {@code
 * <service>.lake-uri} ({@code s3://bucket/prefix}; unset: the local directory), {@code
 * <service>.s3-endpoint} (unset: AWS), {@code <service>.s3-region} (default {@value
 * #DEFAULT_REGION}), {@code <service>.s3-path-style} (default true), {@code
 * <service>.s3-access-key} and {@code <service>.s3-secret-key} (unset: the AWS default credential
 * chain).
 *
 * <pre>{@code
 * LakeSettings lake = LakeSettings.of("serve");
 * LakeLocation location = lake.read(source);
 * }</pre>
 *
 * @param dir {@code <service>.lake-dir}
 * @param uri {@code <service>.lake-uri}
 * @param s3Endpoint {@code <service>.s3-endpoint}
 * @param s3Region {@code <service>.s3-region}
 * @param s3PathStyle {@code <service>.s3-path-style}
 * @param s3AccessKey {@code <service>.s3-access-key}
 * @param s3SecretKey {@code <service>.s3-secret-key}
 */
public record LakeSettings(
    Setting<Path> dir,
    Setting<URI> uri,
    Setting<URI> s3Endpoint,
    Setting<String> s3Region,
    Setting<Boolean> s3PathStyle,
    Setting<String> s3AccessKey,
    Setting<String> s3SecretKey) {

  /** Default S3 signing region. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** The lake settings of {@code service} ({@code batch}, {@code serve}, ...). */
  public static LakeSettings of(String service) {
    return new LakeSettings(
        Setting.path(
                service + ".lake-dir",
                null,
                "Root directory of the Parquet lake of oxbow "
                    + service
                    + " (overrides oxbow.lake-dir).")
            .withFallback(DeploymentSettings.LAKE_DIR),
        new Setting<>(
            service + ".lake-uri",
            null,
            "s3://bucket/prefix: the lake in S3-compatible storage instead of "
                + service
                + ".lake-dir.",
            LakeSettings::s3Uri),
        new Setting<>(
            service + ".s3-endpoint",
            null,
            "Endpoint of S3-compatible storage (MinIO, ...); AWS when unset.",
            URI::create),
        Setting.string(service + ".s3-region", DEFAULT_REGION, "S3 signing region."),
        Setting.bool(
            service + ".s3-path-style", true, "Path-style S3 addressing (bucket in the path)."),
        Setting.string(
            service + ".s3-access-key", null, "S3 access key; the AWS default chain when unset."),
        Setting.string(
            service + ".s3-secret-key",
            null,
            "S3 secret key (with " + service + ".s3-access-key)."));
  }

  /** Every setting, in documentation order. */
  public List<Setting<?>> all() {
    return List.of(dir, uri, s3Endpoint, s3Region, s3PathStyle, s3AccessKey, s3SecretKey);
  }

  /**
   * The lake named in {@code source}.
   *
   * @throws io.oxbow.runtime.config.ConfigException naming the first bad setting
   */
  public LakeLocation read(ConfigSource source) {
    return new LakeLocation(
        source.get(dir),
        source.find(uri),
        new S3Settings(
            source.find(s3Endpoint),
            source.get(s3Region),
            source.get(s3PathStyle),
            source.find(s3AccessKey),
            source.find(s3SecretKey)));
  }

  private static URI s3Uri(String text) {
    URI uri = URI.create(text);
    if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("expected s3://bucket/prefix");
    }
    return uri;
  }
}
