package io.oxbow.batch.landing;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.lake.LocalLakeStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
  private static final long H = LandedFile.HOUR_MS;
  private static final DatasetSpec SPEC = DatasetSpec.of("hits", "event_time");

  @TempDir Path root;

  private void put(LocalLakeStorage storage, long first, long last, long hour) throws Exception {
    storage.putAtomic(new LandedFile("hits", "hits", 0, first, last, hour).key(), new byte[] {1});
  }

  @Test
  void shouldAdoptFilesPublishedAfterTheLastCommitAndRemoveStrayOnes() throws Exception {
    LocalLakeStorage storage = new LocalLakeStorage(root);
    ManifestStore manifests = new ManifestStore(storage);
    manifests.write("hits", new PartitionManifest("hits", 0, 10, 10 * H, 0, false, 0));
    put(storage, 0, 9, 10 * H);
    put(storage, 10, 19, 10 * H);
    put(storage, 20, 24, 11 * H);
    put(storage, 30, 39, 11 * H);

    PartitionManifest recovered =
        Recovery.recover(storage, manifests, SPEC, 0, storage.list("hits"));

    assertThat(recovered.nextOffset()).isEqualTo(25);
    assertThat(recovered.maxEventTime()).isEqualTo(11 * H);
    assertThat(manifests.read("hits", "hits", 0)).contains(recovered);
    assertThat(storage.list("hits"))
        .filteredOn(k -> k.endsWith(".parquet"))
        .containsExactly(
            "hits/dt=1970-01-01/hour=10/hits+0+0-9.parquet",
            "hits/dt=1970-01-01/hour=10/hits+0+10-19.parquet",
            "hits/dt=1970-01-01/hour=11/hits+0+20-24.parquet");
  }

  @Test
  void shouldStartFromTheFirstFileWhenNoManifestWasWritten() throws Exception {
    LocalLakeStorage storage = new LocalLakeStorage(root);
    ManifestStore manifests = new ManifestStore(storage);
    put(storage, 5, 9, 10 * H);

    PartitionManifest recovered =
        Recovery.recover(storage, manifests, SPEC, 0, storage.list("hits"));

    assertThat(recovered.nextOffset()).isEqualTo(10);
  }

  @Test
  void shouldLeaveACleanPartitionAlone() throws Exception {
    LocalLakeStorage storage = new LocalLakeStorage(root);
    ManifestStore manifests = new ManifestStore(storage);

    PartitionManifest recovered =
        Recovery.recover(storage, manifests, SPEC, 0, storage.list("hits"));

    assertThat(recovered.nextOffset()).isEqualTo(-1);
    assertThat(Files.exists(root.resolve("hits"))).isFalse();
  }
}
