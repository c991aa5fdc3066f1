package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.stream.StreamApp;
import io.oxbow.stream.StreamConfig;
import io.oxbow.views.ViewCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream-processor instances of one application: each with its own state directory they run side by
 * side; an instance given the directory another running instance holds is refused.
 */
@ExtendWith(KafkaBackendExtension.class)
class StreamInstancesIT {
  @TempDir Path dir;

  @Test
  void shouldRunTwoInstancesOnTheirOwnStateDirsAndRefuseAHeldOne(KafkaBackend kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String id = "instances-" + UUID.randomUUID().toString().substring(0, 8);
    try (SchemaRegistryServer registry =
        SchemaRegistryServer.builder(bootstrap).topic("_schemas-" + id).port(0).start()) {
      StreamConfig config =
          StreamConfig.defaults(bootstrap, registry.url(), id)
              .withTopics(StreamConfig.Topics.DEFAULT.prefixed(id + "."));
      try (StreamApp first =
              StreamApp.start(
                  config.withStateDir(dir.resolve("first")), ViewCatalog.defaults(), 3);
          StreamApp second =
              StreamApp.start(
                  config.withStateDir(dir.resolve("second")), ViewCatalog.defaults(), 3)) {
        assertThat(first.awaitRunning(Duration.ofMinutes(2))).isTrue();
        assertThat(second.awaitRunning(Duration.ofMinutes(2))).isTrue();

        assertThatThrownBy(
                () ->
                    StreamApp.start(
                            config.withStateDir(dir.resolve("first")), ViewCatalog.defaults(), 3)
                        .close())
            .as("the state directory of the running first instance")
            .hasStackTraceContaining("multiple instances of Kafka Streams");
      }
    }
  }
}
