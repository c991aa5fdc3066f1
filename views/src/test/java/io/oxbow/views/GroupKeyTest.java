package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupKeyTest {
  @Test
  void shouldBeEqualWithEqualHashesExactlyWhenWindowAndValuesAreEqual() {
    GroupKey a = new GroupKey(0, 60_000, Arrays.asList("RU", null, "false"));
    GroupKey same = new GroupKey(0, 60_000, List.of("RU", "x", "false").subList(0, 1));
    GroupKey b = new GroupKey(0, 60_000, Arrays.asList("RU", null, "false"));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(same);
    assertThat(a).isNotEqualTo(new GroupKey(60_000, 120_000, Arrays.asList("RU", null, "false")));
    assertThat(a).isNotEqualTo(new GroupKey(0, 3_600_000, Arrays.asList("RU", null, "false")));
    assertThat(a).isNotEqualTo(new GroupKey(0, 60_000, Arrays.asList("RU", "", "false")));
    assertThat(a).isNotEqualTo(new GroupKey(0, 60_000, Arrays.asList("RU", null)));
    assertThat(a).isNotEqualTo(null).isNotEqualTo("RU");
  }
}
