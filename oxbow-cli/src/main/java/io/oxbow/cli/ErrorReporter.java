package io.oxbow.cli;

import io.oxbow.runtime.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one clear line on stderr: a configuration error names the setting
 * (exit 2), anything else gives its message (exit 1) with the stack trace at DEBUG.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorReporter.class);

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    String name = cmd.getCommandName();
    if (e instanceof ConfigException) {
      cmd.getErr().println(name + ": configuration error: " + e.getMessage());
      return 2;
    }
    cmd.getErr().println(name + ": " + describe(e));
    log.debug("{} failed", name, e);
    return 1;
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      sb.append(": ").append(cause.getMessage());
    }
    return sb.toString();
  }
}
