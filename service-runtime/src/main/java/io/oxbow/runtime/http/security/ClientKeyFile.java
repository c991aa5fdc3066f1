package io.oxbow.runtime.http.security;

import io.oxbow.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The API key a client sends, read from a file ({@code --api-key-file}) so that it never shows on a
 * command line ({@code ps} shows those to every user of the machine). The file holds the key on its
 * first non-blank line; {@code #} lines are skipped.
 */
public final class ClientKeyFile {
  private ClientKeyFile() {}

  /**
   * The key in {@code file}.
   *
   * @param option the option or setting naming the file, for the error
   * @throws ConfigException naming the option when the file cannot be read or holds no key
   */
  public static String read(Path file, String option) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String key = line.trim();
        if (!key.isEmpty() && !key.startsWith("#")) {
          return key;
        }
      }
    } catch (IOException e) {
      throw new ConfigException(option + ": cannot read " + file + ": " + e.getMessage());
    }
    throw new ConfigException(option + ": " + file + " holds no API key");
  }
}
