package io.oxbow.cli.demo;

import io.oxbow.localkafka.Certificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and one server certificate it signs (EC P-256, for {@code
 * 127.0.0.1} and {@code localhost}, from {@link Certificates#issue}), written as the PEM files an
 * HTTP service's {@code <prefix>.tls-cert-file} (the server's certificate, then the authority's)
 * and {@code <prefix>.tls-key-file} (unencrypted PKCS#8) take. Clients trust the authority through
 * {@link #trustingContext()}, never through a trust-all manager.
 *
 * @param authority the authority's certificate
 * @param certificateFile the PEM certificate chain
 * @param keyFile the PEM PKCS#8 key of the server certificate
 */
record HttpsCertificates(X509Certificate authority, Path certificateFile, Path keyFile) {

  /** Generates the authority and the server certificate into {@code dir} (an existing folder). */
  static HttpsCertificates generate(Path dir) throws IOException {
    Certificates.Issued issued = Certificates.issue("Oxbow test HTTPS CA", Duration.ofDays(2));
    Path certificateFile = dir.resolve("https-cert.pem");
    Path keyFile = dir.resolve("https-key.pem");
    Files.writeString(certificateFile, issued.chainPem(), StandardCharsets.US_ASCII);
    Files.writeString(keyFile, issued.keyPem(), StandardCharsets.US_ASCII);
    return new HttpsCertificates(issued.authority(), certificateFile, keyFile);
  }

  /** A TLS context that trusts the authority only. */
  SSLContext trustingContext() throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", authority);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
