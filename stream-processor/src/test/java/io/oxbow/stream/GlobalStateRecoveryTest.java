package io.oxbow.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobalStateRecoveryTest {
  @TempDir Path stateDir;

  private Path global() {
    return stateDir.resolve("app").resolve(GlobalStateRecovery.GLOBAL_DIR);
  }

  private Path marker() {
    return stateDir.resolve("app").resolve(GlobalStateRecovery.CLEAN_STOP_MARKER);
  }

  private void givenGlobalStore() throws Exception {
    Files.createDirectories(global().resolve("rocksdb").resolve("geoip-ranges"));
    Files.writeString(global().resolve("rocksdb").resolve("geoip-ranges").resolve("CURRENT"), "x");
  }

  @Test
  void shouldDeleteTheGlobalStoreAfterAnUncleanStop() throws Exception {
    givenGlobalStore();

    assertThat(new GlobalStateRecovery(stateDir, "app").prepare()).isTrue();

    assertThat(global()).doesNotExist();
  }

  @Test
  void shouldKeepTheGlobalStoreAfterACleanStopAndForgetTheStop() throws Exception {
    givenGlobalStore();
    GlobalStateRecovery recovery = new GlobalStateRecovery(stateDir, "app");
    recovery.markCleanStop();

    assertThat(recovery.prepare()).isFalse();

    assertThat(global().resolve("rocksdb").resolve("geoip-ranges").resolve("CURRENT")).exists();
    assertThat(marker()).as("a kill after this start is seen at the next").doesNotExist();
    assertThat(recovery.prepare()).isTrue();
  }

  @Test
  void shouldDoNothingOnAFirstStart() {
    assertThat(new GlobalStateRecovery(stateDir, "app").prepare()).isFalse();
    assertThat(stateDir.resolve("app")).doesNotExist();
  }

  @Test
  void shouldLeaveTheStateOfARunningInstanceAlone() throws Exception {
    givenGlobalStore();
    try (FileChannel channel =
            FileChannel.open(
                stateDir.resolve("app").resolve(GlobalStateRecovery.LOCK_FILE),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      assertThat(held.isValid()).isTrue();

      assertThat(new GlobalStateRecovery(stateDir, "app").prepare()).isFalse();

      assertThat(global()).exists();
    }
  }
}
