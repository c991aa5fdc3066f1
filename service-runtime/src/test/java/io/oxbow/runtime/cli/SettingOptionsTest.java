package io.oxbow.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class SettingOptionsTest {
  // keys no environment of a test run sets
  private static final Setting<Integer> THREADS =
      Setting.integer("optionstest.threads", 1, 1, 8, "Threads.");
  private static final Setting<String> BOOTSTRAP = Setting.bootstrapServers("optionstest");

  @Command(name = "optionstest")
  static final class Cmd {
    @Mixin SettingOptions options;
  }

  private static SettingOptions parse(String... args) {
    Cmd cmd = new Cmd();
    new CommandLine(cmd).parseArgs(args);
    return cmd.options;
  }

  @Test
  void shouldPassSetPairsOfTheCommandsOwnAndSharedKeysOnAsFlags() {
    SettingOptions options =
        parse("--set", "optionstest.threads=3", "--set", "oxbow.bootstrap-servers=kafka:9092");

    ConfigSource source = options.flags("optionstest", List.of(THREADS, BOOTSTRAP)).load(null);

    assertThat(source.get(THREADS)).isEqualTo(3);
    assertThat(source.get(BOOTSTRAP)).isEqualTo("kafka:9092");
    assertThat(options.configFile()).isNull();
  }

  @Test
  void shouldRefuseAnUnknownKeyNamingIt() {
    SettingOptions options = parse("--set", "optionstest.thread=3");

    assertThatThrownBy(() -> options.flags("optionstest", List.of(THREADS)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--set optionstest.thread: not a setting of oxbow optionstest (see oxbow settings)");
  }

  @Test
  void shouldRefuseABadValueBeforeAnythingReadsItNamingTheKey() {
    SettingOptions options = parse("--set", "optionstest.threads=nine");

    assertThatThrownBy(() -> options.flags("optionstest", List.of(THREADS)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "optionstest.threads (command line) = \"nine\": expected a whole number from 1 to 8");
  }

  @Test
  void shouldTakeKafkaClientPropertiesOnlyForACommandWithKafkaClients() {
    Map<String, String> pair = Map.of("kafka.client.security.protocol", "SSL");

    SettingOptions.check("optionstest", pair, List.of(THREADS, KafkaClientSecurity.CLIENT_CONFIG));
    assertThatThrownBy(() -> SettingOptions.check("optionstest", pair, List.of(THREADS)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.client.security.protocol");
  }
}
