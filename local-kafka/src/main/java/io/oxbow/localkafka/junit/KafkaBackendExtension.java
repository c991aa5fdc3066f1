package io.oxbow.localkafka.junit;

import io.oxbow.localkafka.LocalKafka;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an {@code *IT} a Kafka cluster: declare {@code @ExtendWith(KafkaBackendExtension.class)}
 * and take a {@link KafkaBackend} parameter in a test method, constructor or {@code @BeforeAll}.
 *
 * <p>One cluster serves every test class of the test JVM (started on first use, stopped when the
 * JVM's test run ends), so tests use unique topic names, group ids and application ids. The backend
 * is chosen by the system property {@code oxbow.kafka.backend}: {@code local} (default, an
 * in-process {@link LocalKafka}) or {@code testcontainers} ({@code apache/kafka} in Docker, image
 * from {@code oxbow.kafka.image}); where Docker is not available the tests are skipped, not failed.
 */
public final class KafkaBackendExtension implements ParameterResolver {
  /** System property that selects the backend. */
  public static final String BACKEND_PROPERTY = "oxbow.kafka.backend";

  private static final Logger log = LoggerFactory.getLogger(KafkaBackendExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBackendExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBackend.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    String backend = System.getProperty(BACKEND_PROPERTY, "local").toLowerCase(Locale.ROOT);
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    return store.getOrComputeIfAbsent(
        "backend:" + backend, key -> start(backend), StartedBackend.class);
  }

  private static StartedBackend start(String backend) {
    return switch (backend) {
      case "local" -> new LocalBackend(LocalKafka.builder().build().start());
      case "testcontainers" -> TestcontainersBackend.startOrSkip();
      default ->
          throw new ParameterResolutionException(
              BACKEND_PROPERTY + " must be local or testcontainers, was " + backend);
    };
  }

  /** A started backend that JUnit closes at the end of the test run. */
  interface StartedBackend extends KafkaBackend, ExtensionContext.Store.CloseableResource {}

  private record LocalBackend(LocalKafka kafka) implements StartedBackend {
    @Override
    public String bootstrapServers() {
      return kafka.bootstrapServers();
    }

    @Override
    public String name() {
      return "local";
    }

    @Override
    public void close() {
      kafka.close();
    }
  }

  static void skip(String reason) {
    log.warn("skipping Kafka integration tests: {}", reason);
    Assumptions.abort(reason);
  }
}
