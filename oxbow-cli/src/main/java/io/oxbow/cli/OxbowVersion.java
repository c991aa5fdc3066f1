package io.oxbow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.IVersionProvider;

/** {@code oxbow --version}: Oxbow's version with the Kafka client and Java versions it runs on. */
public final class OxbowVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String oxbow = OxbowVersion.class.getPackage().getImplementationVersion();
    return new String[] {
      "oxbow " + (oxbow == null ? "development build" : oxbow),
      "kafka-clients " + kafkaVersion(),
      "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  private static String kafkaVersion() {
    // kafka-clients ships its version in this resource; the class that reads it is internal
    try (InputStream in =
        KafkaProducer.class
            .getClassLoader()
            .getResourceAsStream("kafka/kafka-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
