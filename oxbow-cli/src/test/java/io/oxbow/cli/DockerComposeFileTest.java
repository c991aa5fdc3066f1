package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml must be a valid Compose file: validated against the Compose Specification's
 * JSON schema (build-tools/compose), and with {@code docker compose config} where a compose plugin
 * exists.
 */
class DockerComposeFileTest {
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", ".."));
  private static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");

  @Test
  void composeFileIsValidAgainstTheComposeSpecSchema() throws IOException {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE_FILE.toFile());
    Set<ValidationMessage> errors = schema().validate(compose);
    assertThat(errors).as("schema violations in %s", COMPOSE_FILE).isEmpty();
  }

  @Test
  void schemaRejectsAnInvalidComposeFile() throws IOException {
    JsonNode broken =
        new ObjectMapper(new YAMLFactory())
            .readTree("services:\n  kafka:\n    image: 42\n    ports: \"9092\"\n    bogus: true\n");
    assertThat(schema().validate(broken)).isNotEmpty();
  }

  @Test
  void everyServiceHasAHealthCheckAndAnImageOrBuild() throws IOException {
    JsonNode services =
        new ObjectMapper(new YAMLFactory()).readTree(COMPOSE_FILE.toFile()).path("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).contains("kafka", "schema-registry");
    for (String name : names) {
      JsonNode service = services.path(name);
      assertThat(service.has("image") || service.has("build")).as(name + " image/build").isTrue();
      if (!service.path("restart").asText().equals("no")) {
        assertThat(service.has("healthcheck")).as(name + " healthcheck").isTrue();
      }
    }
  }

  @Test
  void oxbowServicesSetOnlySettingsTheirCommandReadsAndPublishTheirConfiguredPorts()
      throws IOException {
    JsonNode services =
        new ObjectMapper(new YAMLFactory()).readTree(COMPOSE_FILE.toFile()).path("services");
    picocli.CommandLine cli = OxbowCli.commandLine();
    List<String> oxbowServices = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            entry -> {
              JsonNode service = entry.getValue();
              if (!service.path("image").asText().startsWith("oxbow")) {
                return;
              }
              oxbowServices.add(entry.getKey());
              assertThat(service.path("build").asText())
                  .as(entry.getKey() + " build")
                  .isEqualTo(".");
              String command = service.path("command").get(0).asText();
              picocli.CommandLine sub = cli.getSubcommands().get(command);
              assertThat(sub).as(entry.getKey() + " runs a real command: " + command).isNotNull();
              var settings = ((io.oxbow.runtime.cli.OxbowSubcommand) sub.getCommand()).settings();
              java.util.Map<String, String> env = new java.util.HashMap<>();
              service
                  .path("environment")
                  .fields()
                  .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
              java.util.Set<String> known = new java.util.HashSet<>();
              settings.forEach(st -> known.add(st.envName()));
              env.keySet().stream()
                  .filter(k -> k.startsWith("OXBOW_"))
                  .forEach(k -> assertThat(known).as(entry.getKey() + " sets " + k).contains(k));
              java.util.Set<String> portValues = new java.util.HashSet<>();
              settings.stream()
                  .filter(st -> st.key().endsWith("port"))
                  .forEach(st -> portValues.add(env.getOrDefault(st.envName(), st.defaultValue())));
              for (JsonNode port : service.path("ports")) {
                String containerPort = port.asText().substring(port.asText().lastIndexOf(':') + 1);
                assertThat(portValues)
                    .as(
                        entry.getKey()
                            + " publishes "
                            + port.asText()
                            + " for a port it listens on")
                    .contains(containerPort);
              }
            });
    assertThat(oxbowServices).contains("ingest", "stream", "batch", "serve", "replay");
  }

  @Test
  void dockerComposeConfigAcceptsTheFileWhereAComposePluginExists() throws Exception {
    Process probe;
    try {
      probe = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
    } catch (IOException noDocker) {
      org.junit.jupiter.api.Assumptions.abort("no docker client on this machine");
      return;
    }
    boolean hasPlugin = probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0;
    org.junit.jupiter.api.Assumptions.assumeTrue(hasPlugin, "no docker compose plugin here");
    Process config =
        new ProcessBuilder("docker", "compose", "-f", COMPOSE_FILE.toString(), "config", "-q")
            .redirectErrorStream(true)
            .start();
    assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(config.getInputStream().readAllBytes());
    assertThat(config.exitValue()).as(output).isZero();
  }

  private static JsonSchema schema() throws IOException {
    Path schemaFile = ROOT.resolve("build-tools/compose/compose-spec.json");
    assertThat(Files.exists(schemaFile)).as(schemaFile + " exists").isTrue();
    // loaded from its file URI so that the schema's relative $id resolves
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
        .getSchema(SchemaLocation.of(schemaFile.toUri().toString()));
  }
}
