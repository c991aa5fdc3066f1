package io.oxbow.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The secured listener of a {@link LocalKafka}: SASL_SSL with SCRAM-SHA-512 over TLS, the only
 * listener clients can reach (the controller listener takes TLS with a client certificate only the
 * broker holds).
 *
 * <p>{@link #generate(Path, Map)} makes a certificate authority, the broker's certificate for
 * {@code 127.0.0.1} and {@code localhost} (valid 30 days), a PKCS12 keystore and truststore, and a
 * random password for the broker's own SCRAM user ({@value #BROKER_USER}). The given users get
 * SCRAM-SHA-512 credentials when the broker formats its data directory. Needs BouncyCastle's {@code
 * bcpkix-jdk18on} on the class path.
 *
 * <pre>{@code
 * SaslSsl tls = SaslSsl.generate(dir, Map.of("oxbow", "s3cret"));
 * try (LocalKafka kafka = LocalKafka.builder().saslSsl(tls).build().start()) {
 *   Map<String, String> client = tls.clientProperties("oxbow", "s3cret");
 * }
 * }</pre>
 */
public final class SaslSsl {
  /** The SASL mechanism of the listener. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The broker's own SCRAM user, for its connections to itself. */
  public static final String BROKER_USER = "oxbow-broker";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path keystore;
  private final Path truststore;
  private final String storePassword;
  private final String brokerPassword;
  private final Map<String, String> users;

  private SaslSsl(
      Path keystore,
      Path truststore,
      String storePassword,
      String brokerPassword,
      Map<String, String> users) {
    this.keystore = keystore;
    this.truststore = truststore;
    this.storePassword = storePassword;
    this.brokerPassword = brokerPassword;
    this.users = Map.copyOf(users);
  }

  /**
   * Generates the certificates into {@code dir} ({@code broker.p12}, {@code truststore.p12}).
   *
   * @param dir an existing directory
   * @param users SCRAM users of the broker by name, with their passwords (letters and digits)
   * @return the listener's material
   */
  public static SaslSsl generate(Path dir, Map<String, String> users) {
    String storePassword = randomSecret();
    Path keystore = dir.resolve("broker.p12");
    Path truststore = dir.resolve("truststore.p12");
    try {
      Certificates.generate(keystore, truststore, storePassword.toCharArray(), Duration.ofDays(30));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the broker's certificates in " + dir, e);
    }
    return new SaslSsl(keystore, truststore, storePassword, randomSecret(), users);
  }

  /** The PKCS12 truststore holding the authority that signed the broker's certificate. */
  public Path truststore() {
    return truststore;
  }

  /** The password of {@link #truststore()} and of the broker's keystore. */
  public String truststorePassword() {
    return storePassword;
  }

  /**
   * The client properties that reach this broker as {@code user}: {@code security.protocol}, {@code
   * sasl.mechanism}, {@code sasl.jaas.config} and the truststore.
   */
  public Map<String, String> clientProperties(String user, String password) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", MECHANISM);
    p.put("sasl.jaas.config", jaas(user, password));
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.password", storePassword);
    return p;
  }

  /**
   * Writes {@link #clientProperties} to {@code file}, readable by its owner only where the file
   * system has POSIX permissions, and returns the file.
   */
  public Path writeClientConfig(Path file, String user, String password) {
    Properties p = new Properties();
    p.putAll(clientProperties(user, password));
    try {
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException noPosix) {
        Files.createFile(file);
      }
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        p.store(out, "Kafka client settings of the local SASL_SSL broker");
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  /** The broker's listener settings, for a listener named {@code listener} (e.g. SASL_SSL). */
  Map<String, String> brokerProperties(String listener, String controllerListener) {
    String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
    Map<String, String> p = new LinkedHashMap<>();
    p.put("sasl.enabled.mechanisms", MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put(
        prefix + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
        jaas(BROKER_USER, brokerPassword));
    p.put("ssl.keystore.location", keystore.toString());
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.password", storePassword);
    p.put("ssl.key.password", storePassword);
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.password", storePassword);
    p.put(
        "listener.name." + controllerListener.toLowerCase(Locale.ROOT) + ".ssl.client.auth",
        "required");
    return p;
  }

  /** The broker's own client properties (its readiness check). */
  Map<String, String> brokerClientProperties() {
    return clientProperties(BROKER_USER, brokerPassword);
  }

  /** The SCRAM credentials to bootstrap at format time, as {@code kafka-storage --add-scram}. */
  List<String> scramArguments() {
    List<String> out = new ArrayList<>();
    out.add(scram(BROKER_USER, brokerPassword));
    users.forEach((user, password) -> out.add(scram(user, password)));
    return out;
  }

  private static String scram(String user, String password) {
    if (!user.matches("[A-Za-z0-9._-]+") || !password.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "SCRAM user names and passwords of the local broker are letters, digits, '.', '_', '-'");
    }
    return MECHANISM + "=[name=" + user + ",password=" + password + "]";
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static String randomSecret() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Names the listener without its secrets. */
  @Override
  public String toString() {
    return "SaslSsl{"
        + MECHANISM
        + ", users "
        + users.keySet()
        + ", truststore "
        + truststore
        + "}";
  }
}
