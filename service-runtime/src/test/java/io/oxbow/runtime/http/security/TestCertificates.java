package io.oxbow.runtime.http.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for {@code localhost} and {@code 127.0.0.1}, made with the JDK's {@code
 * keytool} and written as the PEM files a service is configured with.
 */
final class TestCertificates {
  private TestCertificates() {}

  /** A new EC key and certificate in {@code dir/NAME-cert.pem} and {@code dir/NAME-key.pem}. */
  static X509Certificate write(Path dir, String name, Path certFile, Path keyFile)
      throws Exception {
    Path store = dir.resolve(name + ".p12");
    Files.deleteIfExists(store);
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    X509Certificate cert = (X509Certificate) ks.getCertificate("server");
    byte[] key = ks.getKey("server", "changeit".toCharArray()).getEncoded();
    // write to temporary names, then move: a reader never sees half a file
    Path certTmp = dir.resolve(name + "-cert.tmp");
    Path keyTmp = dir.resolve(name + "-key.tmp");
    Files.writeString(certTmp, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyTmp, pem("PRIVATE KEY", key));
    Files.move(keyTmp, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(certTmp, certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return cert;
  }

  /** A trust store holding {@code certificates}. */
  static KeyStore trusting(List<X509Certificate> certificates) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < certificates.size(); i++) {
      trust.setCertificateEntry("ca" + i, certificates.get(i));
    }
    return trust;
  }

  private static String pem(String type, byte[] der) throws IOException {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
