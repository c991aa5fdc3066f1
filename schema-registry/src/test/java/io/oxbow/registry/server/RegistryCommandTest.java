package io.oxbow.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code oxbow registry --set key=value} reaches the registry's settings, parsed and checked. */
class RegistryCommandTest {
  private static RegistryCommand parse(String... args) {
    RegistryCommand command = new RegistryCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void shouldPutSetPairsAndTheSharedBootstrapServersIntoTheSettings() {
    ConfigSource source =
        parse(
                "--set", "registry.compatibility=FULL",
                "--set", "registry.max-subject-chars=100",
                "--set", "oxbow.bootstrap-servers=kafka-1:9092",
                "--port", "0")
            .source();

    assertThat(source.get(RegistryCommand.COMPATIBILITY)).isEqualTo(CompatibilityLevel.FULL);
    assertThat(source.get(RegistryCommand.MAX_SUBJECT_CHARS)).isEqualTo(100);
    assertThat(source.get(RegistryCommand.BOOTSTRAP)).isEqualTo("kafka-1:9092");
    assertThat(source.get(RegistryCommand.PORT)).isZero();
  }

  @Test
  void shouldRefuseAnUnknownKeyOrABadValueNamingTheKey() {
    assertThatThrownBy(() -> parse("--set", "registry.topics=x").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registry.topics");
    assertThatThrownBy(() -> parse("--set", "registry.compatibility=SIDEWAYS").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registry.compatibility");
  }
}
