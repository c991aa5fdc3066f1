package io.oxbow.ingest.agent;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a file's first bytes: recognizes a file after it was renamed or compressed. */
final class Fingerprint {
  /** Bytes covered at most. */
  static final int MAX_LENGTH = 1024;

  /** The fingerprint of zero bytes. */
  static final String EMPTY = of(new byte[0]);

  private Fingerprint() {}

  static String of(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The fingerprint of the segment's first {@code length} bytes, or null when it is shorter. */
  static String of(Segment segment, int length) throws IOException {
    if (length == 0) {
      return EMPTY;
    }
    byte[] head = segment.read(0, length);
    return head.length < length ? null : of(head);
  }
}
