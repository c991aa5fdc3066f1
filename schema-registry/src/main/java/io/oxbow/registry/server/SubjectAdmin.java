package io.oxbow.registry.server;

import io.oxbow.registry.client.SchemaRegistryException;
import io.oxbow.registry.server.RegistryLog.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletion of versions and subjects (soft, then permanent) and compatibility configuration, with
 * Confluent's semantics: a soft delete keeps ids resolvable, a permanent delete needs a soft delete
 * first and also drops the subject's configuration.
 */
public final class SubjectAdmin {
  private final RegistryLog store;
  private final CompatibilityLevel defaultLevel;
  private final RegistryLimits limits;

  SubjectAdmin(RegistryLog store, CompatibilityLevel defaultLevel, RegistryLimits limits) {
    this.store = store;
    this.defaultLevel = defaultLevel;
    this.limits = limits;
  }

  /**
   * Deletes one version.
   *
   * @return the version deleted
   * @throws SchemaRegistryException 40401, 40402, 40406 (already soft-deleted), 40407 (permanent
   *     without a soft delete), 42202
   */
  public int deleteVersion(String subject, String versionText, boolean permanent) {
    Optional<Integer> wanted = Versions.parse(versionText);
    return store.write(state -> planDeleteVersion(state, subject, wanted, permanent));
  }

  private Write<Integer> planDeleteVersion(
      RegistryState state, String subject, Optional<Integer> wanted, boolean permanent) {
    List<SchemaEntry> all = state.versions(subject);
    List<SchemaEntry> candidates =
        permanent ? all : all.stream().filter(e -> !e.deleted()).toList();
    if (candidates.isEmpty()) {
      throw Errors.subjectNotFound(subject);
    }
    checkWritable(state, subject);
    SchemaEntry entry =
        wanted.isEmpty()
            ? candidates.get(candidates.size() - 1)
            : all.stream()
                .filter(e -> e.version() == wanted.get())
                .findFirst()
                .orElseThrow(() -> Errors.versionNotFound(wanted.get()));
    int v = entry.version();
    if (!permanent && entry.deleted()) {
      throw Errors.notFound(
          SchemaRegistryException.VERSION_SOFT_DELETED,
          "Subject '"
              + subject
              + "' Version "
              + v
              + " was soft deleted.Set permanent=true to delete permanently");
    }
    if (permanent && !entry.deleted()) {
      throw Errors.notFound(
          SchemaRegistryException.VERSION_NOT_SOFT_DELETED,
          "Subject '"
              + subject
              + "' Version "
              + v
              + " was not deleted first before being permanently deleted");
    }
    byte[] key = SchemasTopicCodec.schemaKey(subject, v);
    List<LogRecord> records = new ArrayList<>();
    if (permanent) {
      records.add(new LogRecord(key, null));
      if (all.size() == 1) {
        records.addAll(dropSubjectSettings(state, subject));
      }
    } else {
      records.add(new LogRecord(key, SchemasTopicCodec.schemaValue(entry.withDeleted(true))));
    }
    return new Write<>(records, v);
  }

  /**
   * Deletes a subject.
   *
   * @return the versions deleted, ascending
   * @throws SchemaRegistryException 40401, 40404 (already soft-deleted), 40405 (permanent without a
   *     soft delete)
   */
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    return store.write(state -> planDeleteSubject(state, subject, permanent));
  }

  private Write<List<Integer>> planDeleteSubject(
      RegistryState state, String subject, boolean permanent) {
    List<SchemaEntry> all = state.versions(subject);
    if (all.isEmpty()) {
      throw Errors.subjectNotFound(subject);
    }
    checkWritable(state, subject);
    List<SchemaEntry> live = all.stream().filter(e -> !e.deleted()).toList();
    List<LogRecord> records = new ArrayList<>();
    if (!permanent) {
      if (live.isEmpty()) {
        throw Errors.notFound(
            SchemaRegistryException.SUBJECT_SOFT_DELETED,
            "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
      }
      int max = live.get(live.size() - 1).version();
      records.add(
          new LogRecord(
              SchemasTopicCodec.deleteSubjectKey(subject),
              SchemasTopicCodec.deleteSubjectValue(subject, max)));
      return new Write<>(records, live.stream().map(SchemaEntry::version).toList());
    }
    if (!live.isEmpty()) {
      throw Errors.notFound(
          SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED,
          "Subject '" + subject + "' was not deleted first before being permanently deleted");
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      records.add(new LogRecord(SchemasTopicCodec.schemaKey(subject, all.get(i).version()), null));
    }
    records.addAll(dropSubjectSettings(state, subject));
    return new Write<>(records, all.stream().map(SchemaEntry::version).toList());
  }

  private static List<LogRecord> dropSubjectSettings(RegistryState state, String subject) {
    List<LogRecord> records = new ArrayList<>();
    if (state.config(subject).isPresent()) {
      records.add(new LogRecord(SchemasTopicCodec.configKey(subject), null));
    }
    if (state.mode(subject).isPresent()) {
      records.add(new LogRecord(SchemasTopicCodec.modeKey(subject), null));
    }
    return records;
  }

  /** The global level: as set, else the default. */
  public CompatibilityLevel globalLevel() {
    return store.state().config(null).orElse(defaultLevel);
  }

  /** The level set for the subject ({@code null}: global), if any. */
  public Optional<CompatibilityLevel> level(String subject) {
    return store.state().config(subject);
  }

  /** Sets the level of a subject ({@code null}: global). */
  public CompatibilityLevel setLevel(String subject, CompatibilityLevel level) {
    if (subject != null) {
      RegistryService.validateSubject(subject, limits);
    }
    return store.write(
        state ->
            new Write<>(
                List.of(
                    new LogRecord(
                        SchemasTopicCodec.configKey(subject),
                        SchemasTopicCodec.configValue(subject, level))),
                level));
  }

  /**
   * Removes the level of a subject ({@code null}: global) and returns the previous one.
   *
   * @throws SchemaRegistryException 40401 when the subject has no level set
   */
  public CompatibilityLevel deleteLevel(String subject) {
    return store.write(
        state -> {
          Optional<CompatibilityLevel> previous = state.config(subject);
          if (previous.isEmpty()) {
            if (subject == null) {
              return Write.none(defaultLevel);
            }
            throw Errors.subjectNotFound(subject);
          }
          return new Write<>(
              List.of(new LogRecord(SchemasTopicCodec.configKey(subject), null)), previous.get());
        });
  }

  /**
   * The mode of a subject ({@code null}: global): as set, else READWRITE.
   *
   * @throws SchemaRegistryException 42208 when the subject name is not valid (e.g. too long)
   */
  public String mode(String subject) {
    if (subject != null) {
      RegistryService.validateSubject(subject, limits);
    }
    RegistryState state = store.state();
    return (subject == null ? state.mode(null) : state.mode(subject).or(() -> state.mode(null)))
        .orElse("READWRITE");
  }

  void checkWritable(RegistryState state, String subject) {
    String mode = state.mode(subject).or(() -> state.mode(null)).orElse("READWRITE");
    if (mode.startsWith("READONLY")) {
      throw new SchemaRegistryException(
          422,
          SchemaRegistryException.OPERATION_NOT_PERMITTED,
          "Subject " + subject + " is in read-only mode");
    }
  }
}
