package io.oxbow.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 over a plain socket, byte for byte as the test writes it: request targets and headers
 * that {@code java.net.http} refuses to send (invalid UTF-8, control characters, oversized or
 * malformed lines), and bodies sent slowly. The body is written on another thread while the answer
 * is read, so a server that answers before reading the body is measured, not deadlocked.
 */
final class RawHttp {
  private static final ExecutorService WRITERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "raw-http-writer");
            t.setDaemon(true);
            return t;
          });

  /** One answer: status, lower-cased headers, body, time from connecting to the last byte. */
  record Answer(int status, Map<String, String> headers, byte[] body, Duration took) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  /** A request: {@code head} (request line and headers, without the blank line) and body. */
  static byte[] request(String method, byte[] target, Map<String, String> headers, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(method.getBytes(StandardCharsets.ISO_8859_1));
    out.write(' ');
    out.writeBytes(target);
    out.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".getBytes());
    Map<String, String> all = new LinkedHashMap<>(headers);
    if (body != null && !all.containsKey("Content-Length")) {
      all.put("Content-Length", String.valueOf(body.length));
    }
    all.forEach(
        (k, v) -> out.writeBytes((k + ": " + v + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** Sends {@code request} and reads the answer, waiting at most {@code timeout} for any byte. */
  static Answer exchange(int port, byte[] request, Duration timeout) throws IOException {
    return exchange(port, request, 0, Duration.ZERO, timeout);
  }

  /**
   * Sends {@code request}: all at once when {@code slowFrom} is 0, else its first {@code slowFrom}
   * bytes at once and the rest in 512-byte pieces {@code pause} apart; reads the answer meanwhile.
   */
  static Answer exchange(int port, byte[] request, int slowFrom, Duration pause, Duration timeout)
      throws IOException {
    long begin = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      Future<?> writing =
          WRITERS.submit(
              () -> {
                try {
                  if (slowFrom <= 0) {
                    out.write(request);
                  } else {
                    out.write(request, 0, slowFrom);
                    for (int at = slowFrom; at < request.length; at += 512) {
                      out.write(request, at, Math.min(512, request.length - at));
                      out.flush();
                      TimeUnit.MILLISECONDS.sleep(pause.toMillis());
                    }
                  }
                  out.flush();
                } catch (IOException e) {
                  // the server answered and closed before reading everything: expected
                }
                return null;
              });
      try {
        return read(new java.io.BufferedInputStream(socket.getInputStream()), begin);
      } finally {
        writing.cancel(true);
      }
    }
  }

  private static Answer read(InputStream in, long begin) throws IOException {
    String statusLine = line(in);
    if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
      throw new IOException("no HTTP answer, got: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.put(
            h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; ) {
        body.writeBytes(in.readNBytes(size));
        line(in);
        size = Integer.parseInt(line(in).trim(), 16);
      }
    } else if (length != null) {
      body.writeBytes(in.readNBytes(Integer.parseInt(length)));
    } else {
      body.writeBytes(in.readAllBytes());
    }
    return new Answer(
        status, headers, body.toByteArray(), Duration.ofNanos(System.nanoTime() - begin));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}
