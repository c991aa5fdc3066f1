package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code oxbow settings} shows the deployment-wide keys first and what each override falls to. */
class SettingsCommandTest {
  @Test
  void shouldListTheDeploymentWideKeysFirstAndTheOverridesWithTheirEffectiveDefault() {
    StringWriter out = new StringWriter();

    int code = OxbowCli.commandLine().setOut(new PrintWriter(out)).execute("settings");

    assertThat(code).isZero();
    assertThat(out.toString())
        .startsWith("oxbow.bootstrap-servers  (OXBOW_BOOTSTRAP_SERVERS)  default: 127.0.0.1:9092")
        .contains(
            "serve.lake-dir  (OXBOW_SERVE_LAKE_DIR)  default: ./data/lake (as oxbow.lake-dir)")
        .contains("oxbow.views-file  (OXBOW_VIEWS_FILE)  default: (none)");
  }
}
