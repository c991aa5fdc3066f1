package io.oxbow.ingest.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context that trusts exactly the certificate authorities of a PEM file (one or more {@code
 * -----BEGIN CERTIFICATE-----} blocks), the client-side counterpart of a service's {@code
 * tls-cert-file}. Host names are still verified by the HTTP client.
 */
final class TrustedAuthorities {
  private TrustedAuthorities() {}

  /**
   * A TLS context trusting the certificates in {@code pemFile}.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
   */
  static SSLContext fromPem(Path pemFile) {
    try (InputStream in = Files.newInputStream(pemFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(pemFile + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the certificate authorities in " + pemFile + ": " + e.getMessage(), e);
    }
  }
}
