package io.oxbow.lake;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach S3-compatible storage.
 *
 * @param endpoint the endpoint (MinIO, s3rver, ...), or empty for AWS
 * @param region signing region
 * @param pathStyle path-style addressing (bucket in the path)
 * @param accessKey access key, or empty for the AWS default credential chain
 * @param secretKey secret key (with the access key)
 */
public record S3Settings(
    Optional<URI> endpoint,
    String region,
    boolean pathStyle,
    Optional<String> accessKey,
    Optional<String> secretKey) {}
