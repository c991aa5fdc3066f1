package io.oxbow.ingest.agent;

import picocli.CommandLine;

/** Runs {@code oxbow agent} in its own JVM, as the crash test kills and restarts it. */
public final class AgentProcessMain {
  private AgentProcessMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentCommand()).execute(args));
  }
}
