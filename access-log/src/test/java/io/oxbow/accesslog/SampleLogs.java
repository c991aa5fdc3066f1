package io.oxbow.accesslog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the real sample logs under {@code samples/access-logs} as raw byte lines. */
final class SampleLogs {

  static final String ELASTIC = "elastic_apache_logs.log";
  static final String CROWDSEC_NGINX = "crowdsec_nginx_malformed_requests.log";
  static final String CROWDSEC_APACHE = "crowdsec_apache2_malformed_requests.log";

  private SampleLogs() {}

  static Path path(String name) {
    return Path.of(System.getProperty("oxbow.root"), "samples", "access-logs", name);
  }

  /** The file's lines as bytes, without terminators (a last line without newline included). */
  static List<byte[]> lines(String name) {
    try {
      byte[] all = Files.readAllBytes(path(name));
      List<byte[]> lines = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          lines.add(Arrays.copyOfRange(all, start, i));
          start = i + 1;
        }
      }
      if (start < all.length) {
        lines.add(Arrays.copyOfRange(all, start, all.length));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
