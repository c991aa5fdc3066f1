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
final class Certificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /**
   * Writes {@code keystore} (PKCS12: the broker's key with its chain) and {@code truststore}
   * (PKCS12: the authority's certificate), both protected by {@code password}.
   */
  static void generate(Path keystore, Path truststore, char[] password, Duration validity)
      throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256, RANDOM);
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair brokerKeys = generator.generateKeyPair();
      Instant now = Instant.now();
      Date from = Date.from(now.minus(Duration.ofHours(1)));
      Date to = Date.from(now.plus(validity));
      X500Name caName = new X500Name("CN=Oxbow local Kafka CA " + now.toEpochMilli());

      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName, caKeys.getPublic());
      ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      ca.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate caCert = sign(ca, caKeys);

      X509v3CertificateBuilder broker =
          new JcaX509v3CertificateBuilder(
              caName, serial(), from, to, new X500Name("CN=127.0.0.1"), brokerKeys.getPublic());
      broker.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      broker.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      broker.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      broker.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(
                    GeneralName.iPAddress, InetAddress.getByName("127.0.0.1").getHostAddress()),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
      X509Certificate brokerCert = sign(broker, caKeys);

      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "broker", brokerKeys.getPrivate(), password, new Certificate[] {brokerCert, caCert});
      store(keys, keystore, password);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", caCert);
      store(trust, truststore, password);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("could not generate the broker's certificates", e);
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
