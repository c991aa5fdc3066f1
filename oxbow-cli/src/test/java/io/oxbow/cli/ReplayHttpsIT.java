package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.oxbow.localkafka.Certificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code oxbow replay} to an HTTPS ingest endpoint whose certificate a throw-away authority signed:
 * with {@code --ca-file} naming that authority every line is acknowledged; without it the
 * certificate is refused at once (a TLS failure is not retried) and nothing is sent.
 */
class ReplayHttpsIT {
  private static final String LOG =
      "10.0.0.1 - - [05/Dec/2026:07:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"\n"
          + "10.0.0.2 - - [05/Dec/2026:07:00:01 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"curl\"\n";

  @TempDir Path dir;
  private HttpsServer server;
  private final AcceptingIngest ingest = new AcceptingIngest();
  private Path caFile;

  @BeforeEach
  void startHttpsIngestStub() throws Exception {
    Certificates.Issued issued = Certificates.issue("Oxbow replay test CA", Duration.ofDays(1));
    caFile = dir.resolve("ca.pem");
    Files.writeString(
        caFile,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(issued.authority().getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server",
        issued.key(),
        new char[0],
        new Certificate[] {issued.certificate(), issued.authority()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/v1/", ingest);
    server.start();
    Files.writeString(dir.resolve("access.log"), LOG);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldReplayOverHttpsTrustingTheGivenAuthority() {
    Run run = replay("--ca-file", caFile.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(ingest.idempotencyKeys())
        .isNotEmpty()
        .allSatisfy(k -> assertThat(k).startsWith("demo-"));
  }

  @Test
  void shouldRefuseAnUntrustedCertificateAtOnce() {
    long start = System.nanoTime();
    Run run = replay();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("/v1/logs failed");
    assertThat(ingest.idempotencyKeys()).as("no request got through the handshake").isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("not retried for minutes")
        .isLessThan(Duration.ofSeconds(20));
  }

  private Run replay(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "replay",
                "--to",
                "https://127.0.0.1:" + server.getAddress().getPort(),
                "--logs",
                dir.resolve("access.log").toString(),
                "--speed",
                "max",
                "--keep-time",
                "--order-fraction",
                "0",
                "--state",
                dir.resolve("replay.json").toString()));
    args.addAll(List.of(extra));
    CommandLine cli = OxbowCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args.toArray(String[]::new));
    return new Run(code, err.toString());
  }

  private record Run(int exitCode, String err) {}
}
