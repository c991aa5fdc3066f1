package io.oxbow.registry.server;

/**
 * What the registry accepts from a request, checked before any parsing (see the "Limits" table of
 * {@code docs/schema-registry.md}).
 *
 * @param maxSubjectChars longest subject name, and longest {@code subjectPrefix} (setting {@code
 *     registry.max-subject-chars}, default 255); longer: 422 with error code 42208
 * @param maxSchemaBytes largest schema text, UTF-8 (setting {@code registry.max-schema-bytes},
 *     default 1 MiB); larger: 422 with error code 42201
 */
public record RegistryLimits(int maxSubjectChars, int maxSchemaBytes) {
  /** The defaults: 255 characters, 1 MiB. */
  public static final RegistryLimits DEFAULTS = new RegistryLimits(255, 1024 * 1024);

  /** Checks the values are usable. */
  public RegistryLimits {
    if (maxSubjectChars < 1 || maxSchemaBytes < 1) {
      throw new IllegalArgumentException("registry limits must be positive");
    }
  }

  /** The text shortened to at most 256 characters, for an error message that echoes it. */
  static String shown(String text) {
    return text.length() <= 256
        ? text
        : text.substring(0, 256) + "... (" + text.length() + " characters)";
  }
}
