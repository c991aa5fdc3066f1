package io.oxbow.registry.server;

import io.oxbow.registry.client.SchemaRegistryException;
import java.util.Optional;

/** Parsing of the {@code {version}} path segment: 1..2^31-1, {@code latest} or -1. */
final class Versions {
  private Versions() {}

  /**
   * The version number, or empty for "latest".
   *
   * @throws SchemaRegistryException 42202 when the text is no valid version
   */
  static Optional<Integer> parse(String text) {
    if ("latest".equals(text) || "-1".equals(text)) {
      return Optional.empty();
    }
    try {
      int v = Integer.parseInt(text);
      if (v >= 1) {
        return Optional.of(v);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SchemaRegistryException(
        422,
        SchemaRegistryException.INVALID_VERSION,
        "The specified version '"
            + RegistryLimits.shown(text)
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string"
            + " \"latest\"");
  }
}
