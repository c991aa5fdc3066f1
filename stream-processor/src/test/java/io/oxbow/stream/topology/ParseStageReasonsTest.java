package io.oxbow.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.accesslog.RejectReason;
import io.oxbow.contracts.deadletter.DeadLetterReason;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParseStageReasonsTest {
  @Test
  void shouldDeadLetterEveryParserRejectionUnderACodeOfTheContract() {
    for (RejectReason parserReason : RejectReason.values()) {
      assertThat(ParseStage.reason(parserReason).name()).isEqualTo(parserReason.name());
    }
  }

  @Test
  void shouldListNoReasonThatNothingProduces() {
    Set<DeadLetterReason> notFromTheParser = EnumSet.allOf(DeadLetterReason.class);
    Arrays.stream(RejectReason.values()).map(ParseStage::reason).forEach(notFromTheParser::remove);

    // validation, a missing value, the batch loader's landing and unexpected failures
    assertThat(notFromTheParser)
        .containsExactlyInAnyOrder(
            DeadLetterReason.STATUS_OUT_OF_RANGE,
            DeadLetterReason.FUTURE_TIMESTAMP,
            DeadLetterReason.NO_VALUE,
            DeadLetterReason.UNDECODABLE,
            DeadLetterReason.BAD_EVENT_TIME,
            DeadLetterReason.DESERIALIZE_ERROR,
            DeadLetterReason.PROCESS_ERROR,
            DeadLetterReason.PRODUCE_ERROR);
  }
}
