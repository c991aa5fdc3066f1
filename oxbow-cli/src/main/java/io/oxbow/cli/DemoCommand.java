package io.oxbow.cli;

import io.oxbow.localkafka.LocalKafka;
import io.oxbow.runtime.cli.OxbowSubcommand;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oxbow demo}: the whole pipeline in one process on an embedded default. Starts the
 * in-process KRaft broker on a persistent data directory (default {@code ./data}), prints its
 * address and what it runs, and runs until interrupted; Ctrl-C shuts down cleanly.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the whole pipeline in one process on real sample data.")
public final class DemoCommand implements Callable<Integer>, OxbowSubcommand {
  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "Where the demo keeps its state (default ./data).")
  Path dataDir;

  @Option(
      names = "--port-offset",
      defaultValue = "0",
      description = "Added to every default port, to run beside other services (default 0).")
  int portOffset;

  @Override
  public int helpOrder() {
    return 0;
  }

  @Override
  public Integer call() throws InterruptedException {
    LocalKafka kafka =
        LocalKafka.builder().port(9092 + portOffset).dataDir(dataDir.resolve("kafka")).build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  stopped.countDown();
                },
                "oxbow-demo-shutdown"));
    kafka.start();
    System.out.println("kafka: " + kafka.bootstrapServers());
    System.out.println(
        "demo: the broker is up. The registry, ingest, stream, batch and serving services"
            + " join the demo as they are built; press Ctrl-C to stop.");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
