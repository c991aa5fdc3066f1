package io.oxbow.registry.serde;

import io.oxbow.registry.client.RegisteredSchema;
import io.oxbow.registry.client.SchemaRegistryClient;
import io.oxbow.registry.client.SchemaRegistryException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/** A registry client that hands out one chosen id: for reproducing the wire-format test vectors. */
final class FixedIdClient implements SchemaRegistryClient {
  private final int id;
  private final Map<Integer, Schema> byId = new HashMap<>();

  FixedIdClient(int id) {
    this.id = id;
  }

  @Override
  public int register(String subject, Schema schema) {
    byId.put(id, schema);
    return id;
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    return new RegisteredSchema(subject, 1, register(subject, schema), schema.toString());
  }

  @Override
  public Schema schemaById(int wanted) {
    Schema s = byId.get(wanted);
    if (s == null) {
      throw new SchemaRegistryException(404, 40403, "Schema " + wanted + " not found");
    }
    return s;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    throw new UnsupportedOperationException();
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<String> subjects() {
    return List.of();
  }

  @Override
  public List<Integer> versions(String subject) {
    return List.of();
  }

  @Override
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    return List.of();
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return true;
  }

  @Override
  public String updateCompatibility(Optional<String> subject, String level) {
    return level;
  }

  @Override
  public String compatibility(Optional<String> subject) {
    return "BACKWARD";
  }
}
