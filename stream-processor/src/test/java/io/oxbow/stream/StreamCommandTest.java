package io.oxbow.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.TopicNames;
import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code oxbow stream --set key=value} reaches {@link StreamConfig}, parsed and checked. */
class StreamCommandTest {
  private static StreamCommand parse(String... args) {
    StreamCommand command = new StreamCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void shouldPutSetPairsAndSharedKeysIntoTheConfig() {
    StreamCommand command =
        parse(
            "--set", "stream.grace=7m",
            "--set", "oxbow.schema-registry-url=http://registry:8081",
            "--set", "oxbow.dlq-topic=dead.letters",
            "--topic-prefix", "staging.");

    StreamConfig config = StreamConfig.from(command.source());

    assertThat(config.grace()).isEqualTo(Duration.ofMinutes(7));
    assertThat(config.schemaRegistryUrl()).isEqualTo("http://registry:8081");
    assertThat(config.topics().dlq()).isEqualTo("staging.dead.letters");
    assertThat(config.topics().raw()).isEqualTo("staging." + TopicNames.ACCESS_LOGS_RAW);
  }

  @Test
  void shouldTakeTheViewsFileFromTheFlagOrTheSharedKey() {
    ConfigSource flag = parse("--views", "/etc/oxbow/views.yaml").source();
    ConfigSource set = parse("--set", "oxbow.views-file=/srv/views.yaml").source();

    assertThat(flag.find(StreamConfig.VIEWS_FILE)).contains(Path.of("/etc/oxbow/views.yaml"));
    assertThat(set.find(StreamConfig.VIEWS_FILE)).contains(Path.of("/srv/views.yaml"));
  }

  @Test
  void shouldRefuseAnUnknownKeyOrABadValueNamingTheKey() {
    assertThatThrownBy(() -> parse("--set", "stream.graze=1m").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("stream.graze");
    assertThatThrownBy(() -> parse("--set", "stream.threads=0").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("stream.threads");
  }
}
