package io.oxbow.stream;

import picocli.CommandLine;

/**
 * Entry point of the stream processor as its own process ({@code java -cp ...
 * io.oxbow.stream.StreamMain [options]}), the same as {@code oxbow stream}.
 */
public final class StreamMain {
  private StreamMain() {}

  /** Runs {@link StreamCommand} and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamCommand()).execute(args));
  }
}
