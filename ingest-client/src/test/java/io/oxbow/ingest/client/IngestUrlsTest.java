package io.oxbow.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which ingest URL a client sends to, and how it moves on when one fails. */
class IngestUrlsTest {
  private static final URI A = URI.create("http://ingest-a:8080");
  private static final URI B = URI.create("http://ingest-b:8080");
  private static final URI C = URI.create("https://ingest-c:8443");

  @Test
  void shouldStayOnTheFirstUrlUntilItFails() {
    IngestUrls urls = new IngestUrls(List.of(A, B, C));

    assertThat(urls.url(urls.current())).isEqualTo(A);
    assertThat(urls.url(urls.current())).as("sticky").isEqualTo(A);
  }

  @Test
  void shouldMoveToTheNextUrlRoundTheList() {
    IngestUrls urls = new IngestUrls(List.of(A, B, C));

    assertThat(urls.url(urls.failedOver(0))).isEqualTo(B);
    assertThat(urls.url(urls.failedOver(1))).isEqualTo(C);
    assertThat(urls.url(urls.failedOver(2))).as("after the last, the first again").isEqualTo(A);
  }

  @Test
  void shouldMoveOnOnceWhenSeveralSendersSawTheSameUrlFail() {
    IngestUrls urls = new IngestUrls(List.of(A, B, C));

    urls.failedOver(0);
    int afterSecondSender = urls.failedOver(0);

    assertThat(urls.url(afterSecondSender))
        .as("a second report of A's failure does not skip B")
        .isEqualTo(B);
  }

  @Test
  void shouldStayOnTheOnlyUrl() {
    IngestUrls urls = new IngestUrls(List.of(A));

    assertThat(urls.url(urls.failedOver(0))).isEqualTo(A);
  }

  @Test
  void shouldFailOverOnGatewayAndUnavailableAnswersOnly() {
    assertThat(List.of(502, 503, 504)).allMatch(RetryPolicy::failsOver);
    assertThat(List.of(200, 400, 408, 409, 429, 500)).noneMatch(RetryPolicy::failsOver);
  }

  @Test
  void shouldReadRepeatedAndCommaSeparatedUrlsAndDropDuplicates() {
    List<URI> parsed =
        IngestTarget.parseUrls(
            List.of("http://ingest-a:8080, http://ingest-b:8080", "https://ingest-c:8443"));
    IngestTarget target = new IngestTarget(List.of(A, B, A, C), null, null);

    assertThat(parsed).containsExactly(A, B, C);
    assertThat(target.baseUrls()).containsExactly(A, B, C);
  }

  @Test
  void shouldRefuseAUrlThatIsNotHttpNamingIt() {
    assertThatThrownBy(() -> IngestTarget.parseUrls(List.of("http://ingest-a:8080,ingest-b:8080")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was ingest-b:8080");
    assertThatThrownBy(() -> new IngestTarget(List.of(), null, null))
        .hasMessageContaining("at least one ingest URL");
  }
}
