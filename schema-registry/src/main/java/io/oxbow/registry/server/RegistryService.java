package io.oxbow.registry.server;

import io.oxbow.registry.client.SchemaRegistryException;
import io.oxbow.registry.server.CompatibilityLevel.VersionedSchema;
import io.oxbow.registry.server.RegistryLog.Write;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * What a Confluent-compatible registry does with subjects and schemas, independent of HTTP: used by
 * the REST server and by in-memory {@code mock://} clients. Errors are {@link
 * SchemaRegistryException}s with Confluent's HTTP status and {@code error_code}.
 *
 * <p>Schemas are Avro; their canonical form is Avro's compact {@code Schema.toString()}. Ids are
 * global: an identical schema under another subject gets the same id. New versions are 1 + the
 * highest version stored for the subject. Compatibility is checked at the subject's level, else the
 * global one, else the default given at construction.
 */
public final class RegistryService {
  private final RegistryLog store;
  private final CompatibilityLevel defaultLevel;
  private final SubjectAdmin admin;
  private final RegistryLimits limits;

  /**
   * A service over a log with the default {@link RegistryLimits}.
   *
   * @param store where state lives
   * @param defaultLevel the global compatibility level while none is set (Confluent: BACKWARD)
   */
  public RegistryService(RegistryLog store, CompatibilityLevel defaultLevel) {
    this(store, defaultLevel, RegistryLimits.DEFAULTS);
  }

  /**
   * A service over a log.
   *
   * @param store where state lives
   * @param defaultLevel the global compatibility level while none is set (Confluent: BACKWARD)
   * @param limits longest subject, largest schema
   */
  public RegistryService(
      RegistryLog store, CompatibilityLevel defaultLevel, RegistryLimits limits) {
    this.store = store;
    this.defaultLevel = defaultLevel;
    this.limits = limits;
    this.admin = new SubjectAdmin(store, defaultLevel, limits);
  }

  /** Deletions and configuration. */
  public SubjectAdmin admin() {
    return admin;
  }

  /** Whether the store has caught up with its log. */
  public boolean ready() {
    return store.ready();
  }

  /**
   * Registers a schema under a subject.
   *
   * @return the stored version (id, version and canonical schema)
   * @throws SchemaRegistryException 42201 invalid schema, 42208 invalid subject, 409 incompatible
   */
  public SchemaEntry register(String subject, String schemaText) {
    validateSubject(subject, limits);
    Schema schema = parse(schemaText);
    String canonical = schema.toString();
    return store.write(state -> planRegister(state, subject, schema, canonical));
  }

  private Write<SchemaEntry> planRegister(
      RegistryState state, String subject, Schema schema, String canonical) {
    List<SchemaEntry> versions = state.versions(subject);
    Optional<SchemaEntry> live =
        versions.stream().filter(e -> !e.deleted() && e.schema().equals(canonical)).findFirst();
    if (live.isPresent()) {
      return Write.none(live.get());
    }
    admin.checkWritable(state, subject);
    List<String> problems = effectiveLevel(state, subject).check(schema, liveNewestFirst(versions));
    if (!problems.isEmpty()) {
      throw new SchemaRegistryException(
          409,
          SchemaRegistryException.INCOMPATIBLE,
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\", details: "
              + problems);
    }
    int id = state.idOf(canonical).orElse(state.maxId() + 1);
    int version = versions.stream().mapToInt(SchemaEntry::version).max().orElse(0) + 1;
    List<LogRecord> records = new ArrayList<>();
    versions.stream()
        .filter(e -> e.deleted() && e.schema().equals(canonical))
        .forEach(
            e ->
                records.add(
                    new LogRecord(SchemasTopicCodec.schemaKey(subject, e.version()), null)));
    SchemaEntry entry = new SchemaEntry(subject, version, id, canonical, false);
    records.add(
        new LogRecord(
            SchemasTopicCodec.schemaKey(subject, version), SchemasTopicCodec.schemaValue(entry)));
    return new Write<>(records, entry);
  }

  /**
   * The version of the subject holding this schema.
   *
   * @throws SchemaRegistryException 40401 no such (live) subject, 40403 schema not under it
   */
  public SchemaEntry lookup(String subject, String schemaText, boolean includeDeleted) {
    String canonical = parse(schemaText).toString();
    List<SchemaEntry> versions = visible(subject, includeDeleted);
    return versions.stream()
        .filter(e -> e.schema().equals(canonical))
        .max(Comparator.comparingInt(SchemaEntry::version))
        .orElseThrow(() -> Errors.schemaNotFound("Schema not found"));
  }

  /** The schema of a global id; 40403 when unknown. */
  public String schemaById(int id) {
    return store
        .state()
        .schemaById(id)
        .orElseThrow(() -> Errors.schemaNotFound("Schema " + id + " not found"));
  }

  /** The (subject, version) pairs that use a schema id; 40403 when unknown. */
  public List<SchemaEntry> usagesOf(int id, boolean includeDeleted) {
    schemaById(id);
    return store.state().usagesOf(id).stream().filter(e -> includeDeleted || !e.deleted()).toList();
  }

  /** Subjects starting with the prefix (empty: all), sorted. */
  public List<String> subjects(String prefix, boolean includeDeleted) {
    validatePrefix(prefix);
    return store.state().subjects(includeDeleted).stream()
        .filter(s -> prefix == null || s.startsWith(prefix))
        .toList();
  }

  /** Version numbers of a subject, ascending; 40401 when none. */
  public List<Integer> versions(String subject, boolean includeDeleted) {
    return visible(subject, includeDeleted).stream().map(SchemaEntry::version).toList();
  }

  /**
   * One version of a subject.
   *
   * @param versionText 1..2^31-1, {@code latest} or -1
   * @throws SchemaRegistryException 42202 invalid version, 40401 subject, 40402 version not found
   */
  public SchemaEntry version(String subject, String versionText, boolean includeDeleted) {
    Optional<Integer> wanted = Versions.parse(versionText);
    List<SchemaEntry> versions = visible(subject, includeDeleted);
    if (wanted.isEmpty()) {
      return versions.get(versions.size() - 1);
    }
    return versions.stream()
        .filter(e -> e.version() == wanted.get())
        .findFirst()
        .orElseThrow(() -> Errors.versionNotFound(wanted.get()));
  }

  /**
   * Tests a schema against one version ({@code versionText}) or, when {@code versionText} is null,
   * against the live versions the subject's level requires.
   *
   * @return incompatibilities; empty when compatible
   */
  public List<String> testCompatibility(String subject, String versionText, String schemaText) {
    Optional<Integer> wanted = versionText == null ? Optional.empty() : Versions.parse(versionText);
    Schema schema = parse(schemaText);
    RegistryState state = store.state();
    List<VersionedSchema> live = liveNewestFirst(state.versions(subject));
    CompatibilityLevel level = effectiveLevel(state, subject);
    if (versionText == null) {
      return level.check(schema, live);
    }
    if (wanted.isEmpty()) {
      return live.isEmpty() ? List.of() : level.check(schema, live.subList(0, 1));
    }
    VersionedSchema one =
        live.stream()
            .filter(v -> v.version() == wanted.get())
            .findFirst()
            .orElseThrow(() -> Errors.versionNotFound(wanted.get()));
    return level.check(schema, List.of(one));
  }

  /** The level in force for the subject: its own, else global, else the default. */
  CompatibilityLevel effectiveLevel(RegistryState state, String subject) {
    return state.config(subject).or(() -> state.config(null)).orElse(defaultLevel);
  }

  private List<SchemaEntry> visible(String subject, boolean includeDeleted) {
    List<SchemaEntry> versions =
        store.state().versions(subject).stream()
            .filter(e -> includeDeleted || !e.deleted())
            .toList();
    if (versions.isEmpty()) {
      throw Errors.subjectNotFound(subject);
    }
    return versions;
  }

  private static List<VersionedSchema> liveNewestFirst(List<SchemaEntry> versions) {
    List<VersionedSchema> out = new ArrayList<>();
    for (int i = versions.size() - 1; i >= 0; i--) {
      SchemaEntry e = versions.get(i);
      if (!e.deleted()) {
        out.add(new VersionedSchema(e.version(), new Schema.Parser().parse(e.schema())));
      }
    }
    return out;
  }

  /**
   * Parses an Avro schema.
   *
   * @throws SchemaRegistryException 42201 naming the parse error
   */
  Schema parse(String schemaText) {
    if (schemaText == null || schemaText.isBlank()) {
      throw Errors.invalidSchema("(empty): the request has no \"schema\"");
    }
    // a UTF-8 character takes at most 3 bytes per UTF-16 char: count exactly only near the limit
    if ((long) schemaText.length() * 3 > limits.maxSchemaBytes()
        && schemaText.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            > limits.maxSchemaBytes()) {
      throw Errors.invalidSchema(
          RegistryLimits.shown(schemaText)
              + ", details: larger than "
              + limits.maxSchemaBytes()
              + " bytes (registry.max-schema-bytes)");
    }
    try {
      return new Schema.Parser().parse(schemaText);
    } catch (AvroRuntimeException | IllegalArgumentException e) {
      throw Errors.invalidSchema(RegistryLimits.shown(schemaText) + ", details: " + e.getMessage());
    }
  }

  /** Checks a {@code subjectPrefix} query parameter: at most as long as a subject. */
  void validatePrefix(String prefix) {
    if (prefix != null && prefix.length() > limits.maxSubjectChars()) {
      throw new SchemaRegistryException(
          422,
          SchemaRegistryException.INVALID_SUBJECT,
          "The specified subject prefix '"
              + RegistryLimits.shown(prefix)
              + "' is longer than "
              + limits.maxSubjectChars()
              + " characters (registry.max-subject-chars).");
    }
  }

  static void validateSubject(String subject, RegistryLimits limits) {
    if (subject == null
        || subject.isBlank()
        || subject.length() > limits.maxSubjectChars()
        || subject.chars().anyMatch(Character::isISOControl)
        || "__GLOBAL".equals(subject)
        || "__EMPTY".equals(subject)) {
      throw Errors.invalidSubject(RegistryLimits.shown(String.valueOf(subject)));
    }
  }
}
