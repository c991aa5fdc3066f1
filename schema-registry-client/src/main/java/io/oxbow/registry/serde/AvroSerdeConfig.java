package io.oxbow.registry.serde;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde settings, under Confluent's names.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code schema.registry.url}</td><td>(required)</td><td>registry URLs, or
 * {@code mock://scope}; see {@link io.oxbow.registry.client.RegistryClientConfig} for the
 * client's own settings (auth, TLS, timeouts, retries)</td></tr>
 * <tr><td>{@code auto.register.schemas}</td><td>true</td><td>register the record's schema when
 * serializing</td></tr>
 * <tr><td>{@code use.latest.version}</td><td>false</td><td>with auto-register off: write with the
 * subject's latest schema</td></tr>
 * <tr><td>{@code normalize.schemas}</td><td>false</td><td>accepted; Avro schemas are always sent
 * in compact canonical form</td></tr>
 * <tr><td>{@code key.subject.name.strategy} / {@code value.subject.name.strategy}</td>
 * <td>TopicNameStrategy</td><td>see {@link SubjectNameStrategy}</td></tr>
 * <tr><td>{@code specific.avro.reader}</td><td>false</td><td>decode into the generated class of
 * the writer schema's full name</td></tr>
 * </table>
 *
 * @param autoRegister {@code auto.register.schemas}
 * @param useLatestVersion {@code use.latest.version}
 * @param specificReader {@code specific.avro.reader}
 * @param strategy the subject name strategy for this serde's side (key or value)
 */
public record AvroSerdeConfig(
    boolean autoRegister,
    boolean useLatestVersion,
    boolean specificReader,
    SubjectNameStrategy strategy) {

  /** Key of the registry URL list. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Key: register schemas while serializing. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /** Key: serialize with the subject's latest schema. */
  public static final String USE_LATEST_VERSION = "use.latest.version";

  /** Key: decode to generated classes. */
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  /** Key: subject name strategy of keys. */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

  /** Key: subject name strategy of values. */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /**
   * Reads the settings of a key or value serde.
   *
   * @throws ConfigException naming the key of a malformed value
   */
  public static AvroSerdeConfig from(Map<String, ?> configs, boolean isKey) {
    String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
    return new AvroSerdeConfig(
        bool(configs, AUTO_REGISTER_SCHEMAS, true),
        bool(configs, USE_LATEST_VERSION, false),
        bool(configs, SPECIFIC_AVRO_READER, false),
        SubjectNameStrategy.fromConfig(strategyKey, configs.get(strategyKey)));
  }

  private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
    Object v = configs.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key, v, "expected true or false");
    };
  }
}
