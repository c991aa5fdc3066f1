package io.oxbow.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.accesslog.RejectReason;
import org.junit.jupiter.api.Test;

class ParseStageReasonsTest {
  @Test
  void shouldDeadLetterEveryParserRejectionUnderACodeOfTheContract() {
    for (RejectReason parserReason : RejectReason.values()) {
      assertThat(ParseStage.reason(parserReason).name()).isEqualTo(parserReason.name());
    }
  }
}
