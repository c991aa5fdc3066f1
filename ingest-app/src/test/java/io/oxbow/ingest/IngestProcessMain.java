package io.oxbow.ingest;

import picocli.CommandLine;

/** Runs {@code oxbow ingest} in its own JVM for the command's process test. */
public final class IngestProcessMain {
  private IngestProcessMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new IngestCommand()).execute(args));
  }
}
