package io.oxbow.accesslog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.accesslog.RejectReason;
import io.oxbow.runtime.cli.OxbowSubcommand;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code oxbow parse}: parses access-log files and prints what Oxbow makes of each line.
 *
 * <p>Standard output: one JSON object per parsed line, keys as in the Avro {@code AccessLogEvent}.
 * Standard error: one {@code {"line":N,"reason":"...","column":C}} per rejected line (plus {@code
 * "file"} when several files are given), and with {@code --summary} a final {@code
 * {"lines":N,"parsed":P,"rejected":R,"reasons":{...}}}. Files may be gzip-compressed; {@code -} or
 * no file reads standard input. Exit code 0 even when lines are rejected; 1 when a file cannot be
 * read; 2 for usage errors (such as a bad {@code --format}).
 */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description =
        "Parse access-log lines into JSON events; rejected lines go to stderr with a reason.")
public final class ParseCommand implements Callable<Integer>, OxbowSubcommand {

  @Option(
      names = "--format",
      defaultValue = "auto",
      paramLabel = "FORMAT",
      description =
          "auto (default), common, combined, vhost_combined, nginx, nginx_combined,"
              + " or an Apache LogFormat / nginx log_format string.")
  String format;

  @Option(names = "--summary", description = "Print a final JSON summary line on stderr.")
  boolean summary;

  @Option(
      names = "--max-line-bytes",
      defaultValue = "262144",
      paramLabel = "N",
      description = "Reject longer lines as TOO_LONG (default: ${DEFAULT-VALUE}).")
  int maxLineBytes;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Log files (.gz ok); - = stdin.")
  List<String> files;

  @Spec CommandSpec spec;

  private final InputStream stdin;

  /** Reads standard input for {@code -}. */
  public ParseCommand() {
    this(System.in);
  }

  ParseCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public int helpOrder() {
    return 40;
  }

  @Override
  public Integer call() throws IOException {
    AccessLogParser parser = parser();
    List<String> inputs = files == null || files.isEmpty() ? List.of("-") : files;
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonFactory json = JsonFactory.builder().build();
    Counts counts = new Counts();
    int exit = 0;
    try (JsonGenerator out = generator(json, stdout);
        JsonGenerator rejects = generator(json, err)) {
      Output output = new Output(out, rejects, stdout, counts, inputs.size() > 1);
      for (String input : inputs) {
        try (InputStream in = open(input)) {
          if (!output.parseStream(parser, in, input)) {
            break;
          }
        } catch (IOException e) {
          rejects.flush();
          err.println("oxbow parse: cannot read " + input + ": " + describe(e));
          exit = 1;
        }
      }
      out.flush();
      if (summary) {
        counts.write(rejects);
      }
      rejects.flush();
    }
    err.flush();
    return exit;
  }

  private AccessLogParser parser() {
    try {
      return AccessLogParser.forFormat(LogFormat.of(format)).withMaxLineBytes(maxLineBytes);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid --format: " + e.getMessage());
    }
  }

  /** Where events, rejections and counts go while the inputs are read. */
  private record Output(
      JsonGenerator out, JsonGenerator rejects, PrintWriter stdout, Counts counts, boolean named) {

    /** Parses one input; false when standard output was closed (e.g. piped into head). */
    boolean parseStream(AccessLogParser parser, InputStream in, String name) throws IOException {
      LineReader lines = new LineReader(in, parser.maxLineBytes());
      String source = name.equals("-") ? null : name;
      long lineNo = 0;
      while (lines.next()) {
        lineNo++;
        ParseResult r = parser.parse(lines.buffer(), 0, lines.length(), source);
        if (r instanceof ParseResult.Parsed p) {
          EventJson.write(out, p.event());
          out.writeRaw('\n');
          counts.parsed++;
        } else if (r instanceof ParseResult.Rejected rej) {
          writeRejection(name, lineNo, rej);
        }
        counts.lines++;
        if ((lineNo & 0x1fff) == 0) {
          out.flush();
          // picocli's writer wraps System.out, whose PrintStream keeps write errors to itself
          if (stdout.checkError() || System.out.checkError()) {
            return false;
          }
        }
      }
      return true;
    }

    private void writeRejection(String name, long lineNo, ParseResult.Rejected rej)
        throws IOException {
      rejects.writeStartObject();
      if (named) {
        rejects.writeStringField("file", name);
      }
      rejects.writeNumberField("line", lineNo);
      rejects.writeStringField("reason", rej.reason().name());
      rejects.writeNumberField("column", rej.column());
      rejects.writeEndObject();
      rejects.writeRaw('\n');
      counts.reasons.merge(rej.reason(), 1L, Long::sum);
    }
  }

  private InputStream open(String input) throws IOException {
    InputStream raw = input.equals("-") ? stdin : Files.newInputStream(Path.of(input));
    BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    // gzip by content (magic 1f 8b), so compressed standard input works too
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static JsonGenerator generator(JsonFactory json, PrintWriter w) throws IOException {
    JsonGenerator g = json.createGenerator(w);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    // one object per line: no separator between root values, a newline after each
    g.setPrettyPrinter(new MinimalPrettyPrinter(""));
    return g;
  }

  /** Totals for {@code --summary}. */
  private static final class Counts {
    long lines;
    long parsed;
    final Map<RejectReason, Long> reasons = new EnumMap<>(RejectReason.class);

    void write(JsonGenerator g) throws IOException {
      g.writeStartObject();
      g.writeNumberField("lines", lines);
      g.writeNumberField("parsed", parsed);
      g.writeNumberField("rejected", lines - parsed);
      g.writeObjectFieldStart("reasons");
      for (Map.Entry<RejectReason, Long> e : reasons.entrySet()) {
        g.writeNumberField(e.getKey().name(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }
}
