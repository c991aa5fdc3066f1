package io.oxbow.registry.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds the TLS context of {@code schema.registry.ssl.*}: {@code truststore.location}, {@code
 * truststore.password}, {@code truststore.type} (JKS or PKCS12, default JKS), {@code
 * keystore.location}, {@code keystore.password}, {@code keystore.type}, {@code key.password},
 * {@code protocol} (default TLSv1.3). Without a truststore or keystore the JVM defaults apply.
 */
final class TlsContexts {
  private TlsContexts() {}

  static Optional<SSLContext> from(Map<String, String> ssl) {
    String trustLocation = ssl.get("truststore.location");
    String keyLocation = ssl.get("keystore.location");
    if (trustLocation == null && keyLocation == null) {
      return Optional.empty();
    }
    try {
      TrustManagerFactory tmf = null;
      if (trustLocation != null) {
        KeyStore trust =
            load(trustLocation, ssl.get("truststore.password"), ssl.get("truststore.type"));
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (keyLocation != null) {
        KeyStore keys = load(keyLocation, ssl.get("keystore.password"), ssl.get("keystore.type"));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        String keyPassword = ssl.getOrDefault("key.password", ssl.get("keystore.password"));
        kmf.init(keys, keyPassword == null ? null : keyPassword.toCharArray());
      }
      SSLContext context = SSLContext.getInstance(ssl.getOrDefault("protocol", "TLSv1.3"));
      context.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return Optional.of(context);
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(
          RegistryClientConfig.SSL_PREFIX + "*",
          "(hidden)",
          "cannot set up TLS: " + e.getMessage());
    }
  }

  private static KeyStore load(String location, String password, String type)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type == null ? "JKS" : type);
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      store.load(in, password == null ? null : password.toCharArray());
    }
    return store;
  }
}
