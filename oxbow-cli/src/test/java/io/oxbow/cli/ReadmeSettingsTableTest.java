package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is generated from the settings the commands really read ({@code
 * ./oxbow settings --markdown}); this test fails when the two drift apart.
 */
class ReadmeSettingsTableTest {
  private static final String START = "<!-- settings:start -->\n";
  private static final String END = "<!-- settings:end -->";

  @Test
  void readmeTableEqualsTheGeneratedTable() throws IOException {
    Path readme = Path.of(System.getProperty("oxbow.root", "..")).resolve("README.md");
    String text = Files.readString(readme);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    assertThat(start).as("README has a settings block").isNotNegative();
    assertThat(end).isGreaterThan(start);
    String generated =
        SettingsCommand.markdownTable(SettingsCommand.allSettings(OxbowCli.commandLine()));
    assertThat(text.substring(start + START.length(), end))
        .as("README settings table; regenerate with ./oxbow settings --markdown")
        .isEqualTo(generated);
  }

  @Test
  void everySettingHasADescriptionAndAUniqueEnvironmentVariable() {
    var settings = SettingsCommand.allSettings(OxbowCli.commandLine());
    assertThat(settings).isNotEmpty();
    assertThat(settings).allSatisfy(s -> assertThat(s.description()).isNotBlank());
    assertThat(settings.stream().map(s -> s.envName()).distinct().count())
        .isEqualTo(settings.size());
  }
}
