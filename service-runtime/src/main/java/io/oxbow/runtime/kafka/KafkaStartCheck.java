package io.oxbow.runtime.kafka;

import io.oxbow.runtime.config.ConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first thing a service does with Kafka: one {@code describeCluster} with a bounded timeout
 * (default {@value #DEFAULT_TIMEOUT_SECONDS} s), so that credentials the broker refuses or a
 * certificate the client does not trust stop the service at start with a message naming the
 * setting, instead of every client retrying in the background.
 *
 * <p>A broker that does not answer in time is not an error here (a service may start before its
 * cluster and its clients retry); it is logged with the protocol in use, which is the usual cause
 * when the broker answers nothing: a PLAINTEXT client talking to a TLS listener or the reverse.
 */
public final class KafkaStartCheck {
  private static final Logger log = LoggerFactory.getLogger(KafkaStartCheck.class);

  /** How long the check waits for the cluster by default. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 10;

  private KafkaStartCheck() {}

  /** {@link #verify(String, String, KafkaClientSecurity, Duration)} with the default timeout. */
  public static void verify(
      String bootstrapServers, String bootstrapSetting, KafkaClientSecurity security) {
    verify(
        bootstrapServers, bootstrapSetting, security, Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS));
  }

  /**
   * Connects and authenticates to {@code bootstrapServers} with {@code security}.
   *
   * @param bootstrapServers the cluster
   * @param bootstrapSetting the setting that named it, for messages (e.g. {@code
   *     ingest.bootstrap-servers})
   * @param security the client security properties
   * @param timeout how long to wait for an answer
   * @throws ConfigException naming the setting when the broker refuses the credentials, the TLS
   *     handshake fails, or the properties cannot make a client (a missing truststore, say)
   */
  public static void verify(
      String bootstrapServers,
      String bootstrapSetting,
      KafkaClientSecurity security,
      Duration timeout) {
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    security.applyTo(config);
    int ms = (int) timeout.toMillis();
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "oxbow-start-check");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    String where = "Kafka at " + bootstrapServers + " (" + bootstrapSetting + ")";
    Admin admin;
    try {
      admin = Admin.create(config);
    } catch (KafkaException e) {
      throw new ConfigException(
          "the Kafka client settings "
              + security
              + " cannot make a client for "
              + where
              + ": "
              + rootMessage(e));
    }
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(ms))
          .nodes()
          .get(ms + 1000L, TimeUnit.MILLISECONDS);
      log.info("{}: connected with security.protocol {}", where, security.protocol());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException auth) {
        throw refused(where, security, auth);
      }
      notAnswered(where, security, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      notAnswered(where, security, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + where, e);
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  private static ConfigException refused(
      String where, KafkaClientSecurity security, AuthenticationException e) {
    if (e instanceof SslAuthenticationException) {
      String trust =
          security
              .get(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG)
              .map(
                  t ->
                      SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG
                          + " "
                          + t
                          + " from "
                          + security.origin(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG))
              .orElse(
                  "the JVM's default trust store (no "
                      + SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG
                      + " in "
                      + KafkaClientSecurity.CLIENT_CONFIG.key()
                      + ")");
      return new ConfigException(
          "TLS handshake with "
              + where
              + " failed: the broker's certificate is not trusted by "
              + trust
              + ", or does not name the host (ssl.endpoint.identification.algorithm): "
              + rootMessage(e));
    }
    String credentials =
        e instanceof SaslAuthenticationException
            ? SaslConfigs.SASL_JAAS_CONFIG
                + " from "
                + security.origin(SaslConfigs.SASL_JAAS_CONFIG)
                + " (mechanism "
                + security
                    .get(SaslConfigs.SASL_MECHANISM)
                    .orElse(SaslConfigs.DEFAULT_SASL_MECHANISM)
                + ")"
            : "the client's credentials in " + KafkaClientSecurity.CLIENT_CONFIG.key();
    return new ConfigException(
        where + " refused the credentials of " + credentials + ": " + rootMessage(e));
  }

  private static void notAnswered(String where, KafkaClientSecurity security, Throwable cause) {
    log.warn(
        "{} did not answer with security.protocol {} (from {}): {}; its clients keep retrying."
            + " A broker that closes connections at once usually expects another protocol",
        where,
        security.protocol(),
        security.isEmpty() ? "the default" : security.origin("security.protocol"),
        cause == null ? "no answer" : cause.toString());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
  }
}
