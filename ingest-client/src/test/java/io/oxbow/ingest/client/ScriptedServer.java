package io.oxbow.ingest.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain-socket HTTP/1.1 server on loopback that answers each request with the next step of a
 * script: an answer (status, headers, body, then the connection is closed) or a reset connection
 * (the request is read, then the socket is closed with an RST). Records every request it read.
 */
final class ScriptedServer implements AutoCloseable {
  /** One request as received. */
  record Received(String requestLine, Map<String, String> headers, byte[] body, long nanoTime) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** What to do with the next request. */
  sealed interface Step permits Answer, Reset {}

  /** Answer with a status, headers and a JSON body. */
  record Answer(int status, Map<String, String> headers, String body) implements Step {}

  /** Reset the connection after reading the request. */
  record Reset() implements Step {}

  private final ServerSocket socket;
  private final Deque<Step> script;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Thread thread;

  ScriptedServer(Step... steps) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = new ArrayDeque<>(List.of(steps));
    this.thread = new Thread(this::serve, "scripted-server");
    thread.setDaemon(true);
    thread.start();
  }

  static Answer answer(int status, String body) {
    return new Answer(status, Map.of(), body);
  }

  static Answer answer(int status, String body, String header, String value) {
    return new Answer(status, Map.of(header, value), body);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        received.add(read(connection.getInputStream()));
        Step step;
        synchronized (script) {
          step = script.isEmpty() ? answer(500, "{\"error\":\"script ended\"}") : script.poll();
        }
        if (step instanceof Answer a) {
          write(connection.getOutputStream(), a);
        } else {
          connection.setSoLinger(true, 0); // close() sends an RST: "connection reset"
        }
      } catch (IOException e) {
        // the server was closed, or the client went away: the next accept decides
      }
    }
  }

  private static Received read(InputStream in) throws IOException {
    long at = System.nanoTime();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    return new Received(lines[0], headers, in.readNBytes(length), at);
  }

  private static void write(OutputStream out, Answer a) throws IOException {
    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder("HTTP/1.1 " + a.status() + " Scripted\r\n");
    head.append("Content-Type: application/json\r\nConnection: close\r\n");
    a.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
