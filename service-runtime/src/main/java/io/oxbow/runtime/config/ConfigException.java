package io.oxbow.runtime.config;

/**
 * A setting is missing or has a value that cannot be used. The message names the setting, where its
 * value came from (flag, environment variable or properties file), the value and what was expected,
 * e.g. {@code ingest.port (env OXBOW_INGEST_PORT) = "80a": expected a whole number from 1 to
 * 65535}.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A configuration error with a message that names the setting. */
  public ConfigException(String message) {
    super(message);
  }
}
