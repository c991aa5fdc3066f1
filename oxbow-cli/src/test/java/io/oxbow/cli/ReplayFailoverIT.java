package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code oxbow replay --to DOWN,UP}: the first ingest URL refuses connections, so every batch is
 * sent to the second, each once, and the replay finishes.
 */
class ReplayFailoverIT {
  private static final String LOG =
      "10.0.0.1 - - [05/Dec/2026:07:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"\n"
          + "10.0.0.2 - - [05/Dec/2026:07:00:01 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"curl\"\n"
          + "10.0.0.3 - - [05/Dec/2026:07:00:02 +0000] \"GET /b HTTP/1.1\" 200 5 \"-\" \"curl\"\n";

  @TempDir Path dir;

  @Test
  void shouldSendEveryBatchOnceToTheInstanceThatAnswers() throws Exception {
    Files.writeString(dir.resolve("access.log"), LOG);
    int down;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      down = closed.getLocalPort();
    }
    AcceptingIngest ingest = new AcceptingIngest();
    HttpServer up =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    up.createContext("/v1/", ingest);
    up.start();
    try {
      CommandLine cli = OxbowCli.commandLine();
      StringWriter err = new StringWriter();
      cli.setErr(new PrintWriter(err));
      int code =
          cli.execute(
              "replay",
              "--to",
              "http://127.0.0.1:" + down + ",http://127.0.0.1:" + up.getAddress().getPort(),
              "--logs",
              dir.resolve("access.log").toString(),
              "--speed",
              "max",
              "--keep-time",
              "--order-fraction",
              "0",
              "--state",
              dir.resolve("replay.json").toString());

      assertThat(code).as(err.toString()).isZero();
      assertThat(ingest.idempotencyKeys()).isNotEmpty().doesNotHaveDuplicates();
    } finally {
      up.stop(0);
    }
  }
}
