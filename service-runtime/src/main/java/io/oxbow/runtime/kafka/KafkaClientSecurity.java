package io.oxbow.runtime.kafka;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every Kafka client of a service connects and authenticates: {@code security.protocol}, {@code
 * sasl.*}, {@code ssl.*} (and Kafka's {@code config.providers} for secrets kept in files).
 *
 * <p>Read once at a service's edge from two places, later ones winning per key:
 *
 * <ol>
 *   <li>the Kafka client properties file named by {@code kafka.client-config} (as Kafka's tools
 *       take {@code --command-config}), and
 *   <li>settings with the prefix {@code kafka.client.}, e.g. {@code kafka.client.security.protocol}
 *       in the Oxbow properties file, a flag, or the environment variable {@code
 *       OXBOW_KAFKA_CLIENT_SECURITY_PROTOCOL}.
 * </ol>
 *
 * <p>Every Kafka client a service creates (producers, consumers, admin clients, Kafka Streams and
 * through it its main, restore and global consumers, producer and admin) gets these properties
 * through {@link #applyTo(Map)} or {@link #applyTo(Properties)}. Only connection and security
 * properties are accepted: a service's own semantics (group ids, transactions, acks) are not the
 * operator's to override here, so any other key is refused with an error naming it.
 *
 * <p>Default (no file, no prefixed setting): nothing is added, so clients use PLAINTEXT without
 * authentication. {@link #toString()}, {@link #redacted()} and every error show secret values
 * ({@code sasl.jaas.config}, passwords, private keys) as {@value #HIDDEN}.
 */
public final class KafkaClientSecurity {
  private static final Logger log = LoggerFactory.getLogger(KafkaClientSecurity.class);

  /** What a secret value reads as wherever settings are shown. */
  public static final String HIDDEN = "[hidden]";

  /** The prefix of settings passed through to every Kafka client. */
  public static final String PREFIX = "kafka.client.";

  /** {@code kafka.client-config}: a Kafka client properties file; default none. */
  public static final Setting<Path> CLIENT_CONFIG =
      Setting.path(
          "kafka.client-config",
          null,
          "Kafka client properties file (security.protocol, sasl.*, ssl.*) applied to every Kafka"
              + " client of the service, like the --command-config of Kafka's tools; settings"
              + " kafka.client.<property> override single properties. None: PLAINTEXT, no"
              + " authentication.");

  private static final ConfigDef CLIENT_DEF = ConsumerConfig.configDef();

  private final Map<String, String> properties;
  private final Map<String, String> origins;

  private KafkaClientSecurity(Map<String, String> properties, Map<String, String> origins) {
    this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    this.origins = Map.copyOf(origins);
  }

  /** No security properties: clients use PLAINTEXT without authentication. */
  public static KafkaClientSecurity none() {
    return new KafkaClientSecurity(Map.of(), Map.of());
  }

  /**
   * The properties of {@code kafka.client-config} and the {@code kafka.client.*} settings.
   *
   * @throws ConfigException naming the setting when the file cannot be read, a key is not a
   *     connection or security property, {@code security.protocol} is unknown, or a SASL protocol
   *     has no {@code sasl.jaas.config}
   */
  public static KafkaClientSecurity from(ConfigSource source) {
    Map<String, String> props = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    Optional<Path> file = source.find(CLIENT_CONFIG).filter(p -> !p.toString().isBlank());
    file.ifPresent(
        path ->
            read(path)
                .forEach(
                    (k, v) -> {
                      props.put(k, v);
                      origins.put(k, CLIENT_CONFIG.key() + " (" + path + ")");
                    }));
    source
        .withPrefix(PREFIX)
        .forEach(
            (k, v) -> {
              // OXBOW_KAFKA_CLIENT_CONFIG is kafka.client-config, the file, not a client property
              if (!k.equals("config")) {
                props.put(k, v);
                origins.put(k, PREFIX + k);
              }
            });
    KafkaClientSecurity security = new KafkaClientSecurity(props, origins);
    security.validate();
    file.ifPresent(security::warnIfOthersCanRead);
    return security;
  }

  /** True when no property is set (PLAINTEXT, no authentication). */
  public boolean isEmpty() {
    return properties.isEmpty();
  }

  /** The {@code security.protocol} clients use: the configured one, or PLAINTEXT. */
  public SecurityProtocol protocol() {
    String p = properties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
    return p == null ? SecurityProtocol.PLAINTEXT : SecurityProtocol.forName(p.trim());
  }

  /** The value of {@code key}, when set (for messages; secrets included: do not log it). */
  public Optional<String> get(String key) {
    return Optional.ofNullable(properties.get(key));
  }

  /**
   * Where {@code key}'s value came from, e.g. {@code kafka.client-config (/etc/oxbow/kafka.props)}
   * or {@code kafka.client.sasl.jaas.config}; {@code kafka.client-config} when it is not set.
   */
  public String origin(String key) {
    return origins.getOrDefault(key, CLIENT_CONFIG.key());
  }

  /** Puts every security property into {@code clientConfig} and returns it. */
  public Map<String, Object> applyTo(Map<String, Object> clientConfig) {
    clientConfig.putAll(properties);
    return clientConfig;
  }

  /**
   * Puts every security property into {@code clientConfig} and returns it. For Kafka Streams the
   * unprefixed properties reach every client it creates: the main, restore and global consumers,
   * the producer and the admin client.
   */
  public Properties applyTo(Properties clientConfig) {
    clientConfig.putAll(properties);
    return clientConfig;
  }

  /** The properties with every secret value shown as {@value #HIDDEN}, for logs and status. */
  public Map<String, String> redacted() {
    Map<String, String> out = new TreeMap<>();
    properties.forEach((k, v) -> out.put(k, isSecret(k) ? HIDDEN : v));
    return out;
  }

  /**
   * True when {@code key}'s value must never be shown: Kafka's password-typed client properties
   * ({@code ssl.key.password}, {@code ssl.keystore.key}, ...), {@code sasl.jaas.config}, and any
   * key naming a password, secret or credential.
   */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    ConfigDef.ConfigKey def = CLIENT_DEF.configKeys().get(k);
    return (def != null && def.type == ConfigDef.Type.PASSWORD)
        || k.equals(SaslConfigs.SASL_JAAS_CONFIG)
        || k.contains("password")
        || k.contains("secret")
        || k.contains("credential")
        || k.endsWith(".key");
  }

  /** The redacted properties, e.g. {@code {sasl.jaas.config=[hidden], security.protocol=...}}. */
  @Override
  public String toString() {
    return redacted().toString();
  }

  private static Map<String, String> read(Path path) {
    Properties p = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(reader);
    } catch (IOException e) {
      throw new ConfigException(
          CLIENT_CONFIG.key() + " = \"" + path + "\": cannot read the file: " + e);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
    return out;
  }

  private void validate() {
    for (String key : properties.keySet()) {
      if (!isConnectionProperty(key)) {
        throw new ConfigException(
            origin(key)
                + ": "
                + key
                + " is not a Kafka connection or security property; only security.protocol,"
                + " sasl.*, ssl.*, config.providers* and client.dns.lookup are passed to the"
                + " clients");
      }
    }
    String protocol = properties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
    if (protocol != null) {
      try {
        SecurityProtocol.forName(protocol.trim());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            origin(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                + ": security.protocol = \""
                + protocol
                + "\": expected one of "
                + SecurityProtocol.names());
      }
    }
    boolean sasl = protocol().name.startsWith("SASL_");
    if (sasl && !properties.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
      throw new ConfigException(
          origin(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
              + ": security.protocol = "
              + protocol().name
              + " needs sasl.jaas.config (the client's user and password)");
    }
  }

  private static boolean isConnectionProperty(String key) {
    return key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
        || key.startsWith("sasl.")
        || key.startsWith("ssl.")
        || key.equals("config.providers")
        || key.startsWith("config.providers.")
        || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG);
  }

  private void warnIfOthersCanRead(Path file) {
    if (properties.keySet().stream().noneMatch(KafkaClientSecurity::isSecret)) {
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      Set<PosixFilePermission> open =
          perms.stream()
              .filter(
                  p -> p == PosixFilePermission.GROUP_READ || p == PosixFilePermission.OTHERS_READ)
              .collect(Collectors.toSet());
      if (!open.isEmpty()) {
        log.warn(
            "{} {} holds Kafka credentials and can be read by other users ({}): chmod 600 it",
            CLIENT_CONFIG.key(),
            file,
            open);
      }
    } catch (UnsupportedOperationException | IOException e) {
      log.debug("cannot read the permissions of {}: {}", file, e.toString());
    }
  }
}
