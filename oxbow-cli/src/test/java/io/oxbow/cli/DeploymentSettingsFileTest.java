package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.BatchConfig;
import io.oxbow.contracts.TopicNames;
import io.oxbow.ingest.IngestConfig;
import io.oxbow.registry.server.RegistryCommand;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.serving.ServeConfig;
import io.oxbow.stream.StreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One properties file with only the deployment-wide {@code oxbow.*} keys configures every service;
 * a service's own key still overrides it for that service alone.
 */
class DeploymentSettingsFileTest {
  private static final String SHARED =
      String.join(
          "\n",
          "oxbow.bootstrap-servers=kafka-1:9092,kafka-2:9092",
          "oxbow.schema-registry-url=http://registry:8081",
          "oxbow.lake-dir=/srv/oxbow/lake",
          "oxbow.dlq-topic=prod.dead-letters",
          "oxbow.views-file=/etc/oxbow/views.yaml",
          "");

  private static ConfigSource file(Path dir, String text) throws IOException {
    Path file = dir.resolve("oxbow.properties");
    Files.writeString(file, text);
    return ConfigSource.of(Map.of(), Map.of(), Optional.of(file));
  }

  @Test
  void shouldConfigureAllFourServicesAndTheRegistryFromTheSharedKeys(@TempDir Path dir)
      throws IOException {
    ConfigSource source = file(dir, SHARED);

    IngestConfig ingest = IngestConfig.from(source);
    StreamConfig stream = StreamConfig.from(source);
    BatchConfig batch = BatchConfig.from(source);
    ServeConfig serve = ServeConfig.from(source);

    String kafka = "kafka-1:9092,kafka-2:9092";
    assertThat(ingest.bootstrapServers()).isEqualTo(kafka);
    assertThat(stream.bootstrapServers()).isEqualTo(kafka);
    assertThat(batch.bootstrapServers()).isEqualTo(kafka);
    assertThat(serve.bootstrapServers()).isEqualTo(kafka);
    assertThat(source.get(RegistryCommand.BOOTSTRAP)).isEqualTo(kafka);
    String registry = "http://registry:8081";
    assertThat(ingest.schemaRegistryUrl()).isEqualTo(registry);
    assertThat(stream.schemaRegistryUrl()).isEqualTo(registry);
    assertThat(batch.schemaRegistryUrl()).isEqualTo(registry);
    assertThat(serve.schemaRegistryUrl()).isEqualTo(registry);
    assertThat(batch.lake().dir()).isEqualTo(Path.of("/srv/oxbow/lake"));
    assertThat(serve.lake().dir()).isEqualTo(Path.of("/srv/oxbow/lake"));
    assertThat(stream.topics().dlq()).isEqualTo("prod.dead-letters");
    assertThat(batch.dlqTopic()).isEqualTo("prod.dead-letters");
    assertThat(serve.dlqTopic()).isEqualTo("prod.dead-letters");
    Path views = Path.of("/etc/oxbow/views.yaml");
    assertThat(source.find(StreamConfig.VIEWS_FILE)).contains(views);
    assertThat(batch.viewsFile()).contains(views);
    assertThat(serve.viewsFile()).contains(views);
  }

  @Test
  void shouldLetAServiceKeyOverrideTheSharedOneForThatServiceAlone(@TempDir Path dir)
      throws IOException {
    ConfigSource source =
        file(dir, SHARED + "serve.lake-dir=/mnt/replica/lake\nbatch.dlq-topic=batch.dead\n");

    assertThat(ServeConfig.from(source).lake().dir()).isEqualTo(Path.of("/mnt/replica/lake"));
    assertThat(BatchConfig.from(source).lake().dir()).isEqualTo(Path.of("/srv/oxbow/lake"));
    assertThat(BatchConfig.from(source).dlqTopic()).isEqualTo("batch.dead");
    assertThat(ServeConfig.from(source).dlqTopic()).isEqualTo("prod.dead-letters");
  }

  @Test
  void shouldDefaultEveryServiceToTheContractsDeadLetterTopicAndOneLake(@TempDir Path dir)
      throws IOException {
    ConfigSource source = file(dir, "");

    assertThat(StreamConfig.from(source).topics().dlq()).isEqualTo(TopicNames.ACCESS_LOGS_DLQ);
    assertThat(BatchConfig.from(source).dlqTopic()).isEqualTo(TopicNames.ACCESS_LOGS_DLQ);
    assertThat(ServeConfig.from(source).dlqTopic()).isEqualTo(TopicNames.ACCESS_LOGS_DLQ);
    assertThat(BatchConfig.from(source).lake().dir())
        .isEqualTo(ServeConfig.from(source).lake().dir());
  }
}
