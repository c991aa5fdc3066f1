package io.oxbow.registry.server;

import io.oxbow.registry.client.RegisteredSchema;
import io.oxbow.registry.client.SchemaRegistryClient;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistryClient} that calls a {@link RegistryService} in this JVM directly: the
 * client of {@code mock://} scopes and of an embedded server's own process.
 */
public final class LocalSchemaRegistryClient implements SchemaRegistryClient {
  private final RegistryService registry;

  /** A client of the given registry. */
  public LocalSchemaRegistryClient(RegistryService registry) {
    this.registry = registry;
  }

  @Override
  public int register(String subject, Schema schema) {
    return registry.register(subject, schema.toString()).id();
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    return toRegistered(registry.lookup(subject, schema.toString(), false));
  }

  @Override
  public Schema schemaById(int id) {
    return new Schema.Parser().parse(registry.schemaById(id));
  }

  @Override
  public RegisteredSchema latest(String subject) {
    return toRegistered(registry.version(subject, "latest", false));
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    return toRegistered(registry.version(subject, String.valueOf(version), false));
  }

  @Override
  public List<String> subjects() {
    return registry.subjects(null, false);
  }

  @Override
  public List<Integer> versions(String subject) {
    return registry.versions(subject, false);
  }

  @Override
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    return registry.admin().deleteSubject(subject, permanent);
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return registry.testCompatibility(subject, "latest", schema.toString()).isEmpty();
  }

  @Override
  public String updateCompatibility(Optional<String> subject, String level) {
    return registry.admin().setLevel(subject.orElse(null), CompatibilityLevel.parse(level)).name();
  }

  @Override
  public String compatibility(Optional<String> subject) {
    return subject
        .flatMap(s -> registry.admin().level(s))
        .orElseGet(() -> registry.admin().globalLevel())
        .name();
  }

  private static RegisteredSchema toRegistered(SchemaEntry e) {
    return new RegisteredSchema(e.subject(), e.version(), e.id(), e.schema());
  }
}
