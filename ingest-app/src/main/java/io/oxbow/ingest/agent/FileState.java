package io.oxbow.ingest.agent;

/**
 * Where the agent stands in one tailed path, as saved in the state file.
 *
 * @param generation how many files this path has had (rotations seen); part of the batch keys
 * @param fileKey the file system identity (device and inode) of the file being read
 * @param fingerprint SHA-256 (hex) of the file's first {@code fingerprintLength} bytes, to find it
 *     again after a rotation renamed or compressed it
 * @param fingerprintLength bytes covered by the fingerprint (at most 1 KiB)
 * @param offset bytes of the file acknowledged by the ingest app (always at a line boundary)
 * @param pendingEnd end of the batch being sent ({@code offset} when none): a restart re-sends
 *     exactly {@code [offset, pendingEnd)} with the same Idempotency-Key
 */
record FileState(
    long generation,
    String fileKey,
    String fingerprint,
    int fingerprintLength,
    long offset,
    long pendingEnd) {

  /** The state of a path never read before. */
  static FileState fresh(long generation, String fileKey) {
    return new FileState(generation, fileKey, Fingerprint.EMPTY, 0, 0, 0);
  }

  boolean hasPending() {
    return pendingEnd > offset;
  }

  FileState withPending(long end, String fp, int fpLength) {
    return new FileState(generation, fileKey, fp, fpLength, offset, end);
  }

  FileState committed() {
    return new FileState(
        generation, fileKey, fingerprint, fingerprintLength, pendingEnd, pendingEnd);
  }
}
