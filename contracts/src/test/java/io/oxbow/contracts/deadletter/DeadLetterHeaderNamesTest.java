package io.oxbow.contracts.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every module reads and writes dead-letter headers through {@link DeadLetterHeaders}: no source
 * file outside this module spells a header name itself (a string literal starting {@code
 * "oxbow.dlq.}), since a second spelling is how the batch loader's and the serving API's names
 * drifted apart.
 */
class DeadLetterHeaderNamesTest {
  private static final Pattern OWN_HEADER_NAME = Pattern.compile("\"oxbow\\.dlq\\.");
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", "..")).normalize();

  @Test
  void shouldFindNoModuleSpellingADeadLetterHeaderName() throws IOException {
    List<Path> sources = sourcesOutsideContracts();
    assertThat(sources)
        .as("the scan must see the services' sources under %s", ROOT.toAbsolutePath())
        .anyMatch(p -> p.endsWith("DeadLetterSink.java"))
        .anyMatch(p -> p.endsWith("DeadLetterStore.java"))
        .anyMatch(p -> p.endsWith("DeadLetteringExceptionHandlers.java"));

    List<String> offenders =
        sources.stream()
            .filter(p -> OWN_HEADER_NAME.matcher(read(p)).find())
            .map(p -> ROOT.relativize(p).toString())
            .toList();
    assertThat(offenders)
        .as("use io.oxbow.contracts.deadletter.DeadLetterHeaders instead of a header name")
        .isEmpty();
  }

  @Test
  void shouldSpotAHeaderNameSpelledInASourceFile() {
    assertThat(OWN_HEADER_NAME.matcher("header(h, \"oxbow.dlq.topic\", t);").find()).isTrue();
    assertThat(OWN_HEADER_NAME.matcher("DeadLetterHeaders.SOURCE_TOPIC").find()).isFalse();
  }

  private static List<Path> sourcesOutsideContracts() throws IOException {
    try (Stream<Path> modules = Files.list(ROOT)) {
      List<Path> srcDirs =
          modules
              .filter(m -> !m.getFileName().toString().equals("contracts"))
              .map(m -> m.resolve("src"))
              .filter(Files::isDirectory)
              .toList();
      List<Path> sources = new java.util.ArrayList<>();
      for (Path src : srcDirs) {
        try (Stream<Path> files = Files.walk(src)) {
          files.filter(DeadLetterHeaderNamesTest::isSource).forEach(sources::add);
        }
      }
      return sources;
    }
  }

  private static boolean isSource(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && (name.endsWith(".java") || name.endsWith(".js"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
