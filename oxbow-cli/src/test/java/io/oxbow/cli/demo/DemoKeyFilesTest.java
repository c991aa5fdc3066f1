package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.runtime.http.security.ApiKeyRing;
import io.oxbow.runtime.http.security.Permission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's key and key file: made once, kept, readable by their owner only. */
class DemoKeyFilesTest {
  @TempDir Path data;

  @Test
  void shouldWriteTheKeyAndItsEntryForTheOwnerOnlyAndKeepThem() throws Exception {
    Path keyFile = data.resolve("demo/api-key");
    Path entryFile = data.resolve("demo/api-key.entry");

    String key = DemoStack.apiKey(keyFile);

    assertThat(key).startsWith("oxb_");
    for (Path file : new Path[] {keyFile, entryFile}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as(file.toString())
          .isEqualTo("rw-------");
    }
    ApiKeyRing ring = ApiKeyRing.load(entryFile);
    assertThat(ring.find(key).orElseThrow().may(Permission.ADMIN)).isTrue();
    assertThat(Files.readString(entryFile)).doesNotContain(key);

    // a later run keeps the key, and takes away permissions someone added
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(DemoStack.apiKey(keyFile)).isEqualTo(key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
  }
}
