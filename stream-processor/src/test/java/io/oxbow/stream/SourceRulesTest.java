package io.oxbow.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules on the project's sources that the compiler does not check: Kafka Streams internals are used
 * in one class only, and the stream processor's packages have no cycle (the topology depends on
 * nothing of the service around it).
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
    List<Path> sources = sources(ROOT, "src/main/java");
    sources.addAll(sources(ROOT, "src/test/java"));
    assertThat(sources).as("sources under " + ROOT.toAbsolutePath()).hasSizeGreaterThan(200);
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
   * A reference to a class of the stream processor (import or qualified name): package = group 1.
   */
  private static final Pattern STREAM_CLASS =
      Pattern.compile("\\b(io\\.oxbow\\.stream(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  @Test
  void shouldHaveNoCycleBetweenTheStreamProcessorsPackages() {
    Path main = ROOT.resolve("stream-processor/src/main/java");
    Map<String, Set<String>> uses = new TreeMap<>();
    for (Path file : sources(ROOT, "src/main/java")) {
      if (!file.startsWith(main)) {
        continue;
      }
      String from =
          main.relativize(file.getParent()).toString().replace('\\', '/').replace('/', '.');
      Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
      Matcher m = STREAM_CLASS.matcher(read(file));
      while (m.find()) {
        if (!m.group(1).equals(from)) {
          to.add(m.group(1));
        }
      }
    }
    assertThat(uses.get("io.oxbow.stream"))
        .as("the rule sees the service's use of its topology")
        .contains("io.oxbow.stream.topology");
    for (String start : uses.keySet()) {
      assertThat(cycleFrom(start, start, uses, new ArrayList<>(List.of(start)), new HashSet<>()))
          .as("package cycle through " + start + " (uses: " + uses + ")")
          .isEmpty();
    }
  }

  /** A path of uses from {@code at} back to {@code start}, or an empty list. */
  private static List<String> cycleFrom(
      String start, String at, Map<String, Set<String>> uses, List<String> path, Set<String> seen) {
    for (String next : uses.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(next);
        return cycle;
      }
      if (seen.add(next)) {
        path.add(next);
        List<String> found = cycleFrom(start, next, uses, path, seen);
        if (!found.isEmpty()) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return List.of();
  }

  /** Every {@code .java} file under {@code <module>/<dir>} of the modules in {@code root}. */
  static List<Path> sources(Path root, String dir) {
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.sorted().toList()) {
        Path main = module.resolve(dir);
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
