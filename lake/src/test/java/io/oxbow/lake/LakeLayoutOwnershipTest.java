package io.oxbow.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The lake module is the only code that spells the layout: a string literal naming a partition
 * ({@code dt=}, {@code hour=}) or a manifest ({@code _manifest}) in any other module's main code,
 * the benchmarks' or the serving API's test stand-ins, is a second copy that will drift (as the
 * serving API's own manifest parser did).
 */
class LakeLayoutOwnershipTest {
  private static final Pattern LAYOUT_LITERAL =
      Pattern.compile("\"[^\"\\n]*(dt=|hour=|_manifest)[^\"\\n]*\"");

  @Test
  void shouldFindTheLayoutSpelledOnlyInTheLakeModule() throws IOException {
    Path root = Path.of(System.getProperty("oxbow.root", "..")).toAbsolutePath().normalize();
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml"))).toList()) {
        if (!module.getFileName().toString().equals("lake")) {
          sources.add(module.resolve("src/main/java"));
        }
      }
    }
    sources.add(root.resolve("serving-api/src/test/java"));
    assertThat(sources).contains(root.resolve("batch-loader/src/main/java"));

    List<String> copies = new ArrayList<>();
    for (Path dir : sources) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
            copies.addAll(layoutLiterals(root, file));
          }
        }
      }
    }

    assertThat(copies).as("layout spelled outside io.oxbow.lake.LakeLayout").isEmpty();
  }

  private static List<String> layoutLiterals(Path root, Path file) throws IOException {
    List<String> found = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
        continue;
      }
      if (LAYOUT_LITERAL.matcher(line).find()) {
        found.add(root.relativize(file) + ":" + (i + 1) + ": " + line);
      }
    }
    return found;
  }
}
