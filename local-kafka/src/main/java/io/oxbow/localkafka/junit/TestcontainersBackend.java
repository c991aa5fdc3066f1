package io.oxbow.localkafka.junit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker backend: Apache Kafka's own {@code apache/kafka} image (KRaft), started through
 * Testcontainers. Default image {@code apache/kafka:4.1.0}; override with {@code
 * -Doxbow.kafka.image=...}. Loaded only when selected, so the in-process default needs no Docker.
 */
final class TestcontainersBackend implements KafkaBackendExtension.StartedBackend {
  static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

  private final KafkaContainer container;

  private TestcontainersBackend(KafkaContainer container) {
    this.container = container;
  }

  static TestcontainersBackend startOrSkip() {
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        KafkaBackendExtension.skip(
            "oxbow.kafka.backend=testcontainers but no Docker engine is reachable");
      }
    } catch (NoClassDefFoundError e) {
      KafkaBackendExtension.skip("Testcontainers is not on the test classpath: " + e.getMessage());
    }
    String image = System.getProperty("oxbow.kafka.image", DEFAULT_IMAGE);
    KafkaContainer container = new KafkaContainer(DockerImageName.parse(image));
    container.start();
    return new TestcontainersBackend(container);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String name() {
    return "testcontainers";
  }

  @Override
  public void close() {
    container.stop();
  }
}
