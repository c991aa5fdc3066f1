package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyMemoryTest {
  private static final IdempotencyStore.Entry ENTRY = new IdempotencyStore.Entry(1, "abc", 0);

  @Test
  void shouldNotLetOneClientEvictAnotherClientsKeys() {
    KeyMemory memory = new KeyMemory(10, 4);
    memory.put("logs shop k1", ENTRY);
    memory.put("logs shop k2", ENTRY);

    for (int i = 0; i < 1_000; i++) {
      memory.put("logs flood k" + i, ENTRY);
    }

    assertThat(memory.get("logs shop k1")).isEqualTo(ENTRY);
    assertThat(memory.get("logs shop k2")).isEqualTo(ENTRY);
    assertThat(memory.get("logs flood k999")).isEqualTo(ENTRY);
    assertThat(memory.get("logs flood k0")).isNull();
    assertThat(memory.size()).isEqualTo(6);
  }

  @Test
  void shouldForgetFromTheLargestClientPastTheTotal() {
    KeyMemory memory = new KeyMemory(5, 4);
    for (int i = 0; i < 4; i++) {
      memory.put("orders a k" + i, ENTRY);
    }
    memory.put("orders b k0", ENTRY);
    memory.put("orders b k1", ENTRY);

    assertThat(memory.size()).isEqualTo(5);
    assertThat(memory.get("orders a k0")).isNull();
    assertThat(memory.get("orders b k0")).isEqualTo(ENTRY);
    assertThat(memory.get("orders b k1")).isEqualTo(ENTRY);
  }

  @Test
  void shouldScopeByEndpointAndApiKey() {
    assertThat(KeyMemory.owner("logs agent my-key")).isEqualTo("logs agent");
    KeyMemory memory = new KeyMemory(10, 10);
    memory.put("logs agent same", ENTRY);
    assertThat(memory.get("orders agent same")).isNull();
    memory.remove("logs agent same");
    memory.removeIf(e -> true);
    assertThat(memory.size()).isZero();
  }
}
