package io.oxbow.localkafka;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and the broker certificate it signs (EC P-256, SHA-256), for
 * the TLS of a {@link LocalKafka} in tests. The broker certificate names {@code 127.0.0.1} and
 * {@code localhost} and serves for both server and client authentication (the controller listener
 * requires a client certificate from the broker itself). Needs BouncyCastle's {@code
 * bcpkix-jdk18on} on the class path.
 */
public final class Certificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /**
   * Writes {@code keystore} (PKCS12: the broker's key with its chain) and {@code truststore}
   * (PKCS12: the authority's certificate), both protected by {@code password}.
   */
  static void generate(Path keystore, Path truststore, char[] password, Duration validity)
      throws IOException {
    Issued issued = issue("Oxbow local Kafka CA", validity);
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "broker",
          issued.key(),
          password,
          new Certificate[] {issued.certificate(), issued.authority()});
      store(keys, keystore, password);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", issued.authority());
      store(trust, truststore, password);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not store the broker's certificates", e);
    }
  }

  /**
   * Issues a throw-away authority (named {@code authorityName} plus the time) and one certificate
   * it signs for {@code 127.0.0.1} and {@code localhost}, valid from an hour ago for {@code
   * validity}, for server and client authentication.
   */
  public static Issued issue(String authorityName, Duration validity) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256, RANDOM);
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      Date from = Date.from(now.minus(Duration.ofHours(1)));
      Date to = Date.from(now.plus(validity));
      X500Name caName = new X500Name("CN=" + authorityName + " " + now.toEpochMilli());

      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName, caKeys.getPublic());
      ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      ca.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate caCert = sign(ca, caKeys);

      X509v3CertificateBuilder leaf =
          new JcaX509v3CertificateBuilder(
              caName, serial(), from, to, new X500Name("CN=127.0.0.1"), keys.getPublic());
      leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      leaf.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      leaf.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      leaf.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(
                    GeneralName.iPAddress, InetAddress.getByName("127.0.0.1").getHostAddress()),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
      return new Issued(caCert, sign(leaf, caKeys), keys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("could not generate certificates", e);
    }
  }

  /**
   * An authority and one certificate it signed.
   *
   * @param authority the authority's certificate
   * @param certificate the certificate it signed
   * @param key the certificate's private key
   */
  public record Issued(X509Certificate authority, X509Certificate certificate, PrivateKey key) {
    /** The certificate, then the authority's, as PEM. */
    public String chainPem() {
      try {
        return pem("CERTIFICATE", certificate.getEncoded())
            + pem("CERTIFICATE", authority.getEncoded());
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The private key as PKCS#8 PEM. */
    public String keyPem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
      return "-----BEGIN "
          + type
          + "-----\n"
          + java.util.Base64.getMimeEncoder(
                  64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(der)
          + "\n-----END "
          + type
          + "-----\n";
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer =
        new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
  }

  private static void store(KeyStore store, Path file, char[] password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
  }
}
