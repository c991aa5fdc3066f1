package io.oxbow.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagsTest {
  // keys no environment of a test run sets
  private static final Setting<Integer> PORT =
      Setting.port("flagstest.port", 8080, false, "A port.");
  private static final Setting<Path> DIR = Setting.path("flagstest.dir", "data/x", "A folder.");
  private static final Setting<String> NAME = Setting.string("flagstest.name", "none", "A name.");

  @Test
  void givenFlagsBeatTheFileAndMissingOnesLeaveItToTheFileOrTheDefault(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("oxbow.properties");
    Files.writeString(file, "flagstest.port=7000\nflagstest.name=from-file\n");

    ConfigSource source =
        new Flags().put(PORT, 7200).put(NAME, null).put(DIR, Path.of("/srv/x")).load(file);

    assertThat(source.get(PORT)).isEqualTo(7200);
    assertThat(source.get(NAME)).isEqualTo("from-file");
    assertThat(source.get(DIR)).isEqualTo(Path.of("/srv/x"));
  }

  @Test
  void withoutAFileUnsetFlagsTakeTheDefaults() {
    ConfigSource source = new Flags().put(PORT, null).load(null);

    assertThat(source.get(PORT)).isEqualTo(8080);
    assertThat(source.get(DIR)).isEqualTo(Path.of("data/x"));
  }

  @Test
  void startingValuesSuchAsSetPairsCountAsFlagsAndNamedFlagsWin() {
    ConfigSource source =
        new Flags(Map.of("flagstest.name", "from-set", "flagstest.port", "7300"))
            .put(PORT, 7400)
            .load(null);

    assertThat(source.get(NAME)).isEqualTo("from-set");
    assertThat(source.get(PORT)).isEqualTo(7400);
  }
}
