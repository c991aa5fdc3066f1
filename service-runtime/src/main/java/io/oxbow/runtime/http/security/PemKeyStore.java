package io.oxbow.runtime.http.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A server's certificate chain and private key, read from PEM files, as an in-memory key store.
 *
 * <p>The certificate file holds the server's certificate first, then any intermediates ({@code
 * -----BEGIN CERTIFICATE-----}). The key file holds an unencrypted PKCS#8 key ({@code -----BEGIN
 * PRIVATE KEY-----}, RSA or EC); a PKCS#1 {@code BEGIN RSA PRIVATE KEY} file is refused with the
 * {@code openssl pkcs8 -topk8 -nocrypt} command that converts it.
 */
public final class PemKeyStore {
  /** The alias of the entry and the password of the in-memory store (never written anywhere). */
  static final String ALIAS = "server";

  static final String PASSWORD = "in-memory";

  private PemKeyStore() {}

  /**
   * Reads the two files.
   *
   * @throws IllegalArgumentException naming the file that cannot be read or parsed
   */
  public static KeyStore load(Path certificateFile, Path keyFile) {
    List<? extends Certificate> chain = certificates(certificateFile);
    PrivateKey key = privateKey(keyFile);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "the key in " + keyFile + " does not match the certificate in " + certificateFile, e);
    }
  }

  private static List<? extends Certificate> certificates(Path file) {
    try {
      byte[] pem = Files.readAllBytes(file);
      List<? extends Certificate> chain =
          List.copyOf(
              CertificateFactory.getInstance("X.509")
                  .generateCertificates(new ByteArrayInputStream(pem)));
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + file);
      }
      return chain;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the PEM certificate " + file + ": " + e, e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the PEM key " + file + ": " + e, e);
    }
    if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
      throw new IllegalArgumentException(
          file
              + " holds a PKCS#1/SEC1 key; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt"
              + " -in "
              + file
              + " -out key.pem");
    }
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
    }
    String base64 = text.substring(begin + 27, end).replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException wrongAlgorithm) {
        // try the next one
      }
    }
    throw new IllegalArgumentException(file + " holds a key that is not RSA, EC or Ed25519");
  }
}
