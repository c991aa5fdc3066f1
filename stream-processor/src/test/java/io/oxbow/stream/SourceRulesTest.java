package io.oxbow.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules on the project's sources that the compiler does not check: Kafka Streams internals are used
 * in one class only.
 */
class SourceRulesTest {
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", ".."));

  /** Any use of a package {@code org.apache.kafka.streams.<...>.internals}, imported or not. */
  private static final Pattern STREAMS_INTERNALS =
      Pattern.compile("org\\.apache\\.kafka\\.streams(\\.\\w+)*\\.internals\\b");

  private static final Path THE_ONE_CLASS =
      Path.of("stream-processor/src/main/java/io/oxbow/stream/internals/StreamsInternals.java");

  @Test
  void shouldUseKafkaStreamsInternalsInStreamsInternalsOnly() {
    List<Path> sources = mainSources(ROOT);
    assertThat(sources).as("main sources under " + ROOT.toAbsolutePath()).hasSizeGreaterThan(100);
    List<String> offenders = new ArrayList<>();
    for (Path file : sources) {
      if (STREAMS_INTERNALS.matcher(read(file)).find()
          && !ROOT.relativize(file).equals(THE_ONE_CLASS)) {
        offenders.add(ROOT.relativize(file).toString());
      }
    }
    assertThat(offenders)
        .as("classes using org.apache.kafka.streams.*.internals besides " + THE_ONE_CLASS)
        .isEmpty();
    assertThat(STREAMS_INTERNALS.matcher(read(ROOT.resolve(THE_ONE_CLASS))).find())
        .as("the rule still looks for what " + THE_ONE_CLASS + " uses")
        .isTrue();
  }

  /**
   * Every {@code .java} file under {@code <module>/src/main/java} of the modules in {@code root}.
   */
  static List<Path> mainSources(Path root) {
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.sorted().toList()) {
        Path main = module.resolve("src/main/java");
        if (Files.isDirectory(main)) {
          try (Stream<Path> files = Files.walk(main)) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sources;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
