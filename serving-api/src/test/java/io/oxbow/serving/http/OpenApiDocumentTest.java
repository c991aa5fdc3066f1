package io.oxbow.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.serving.query.QueryParser;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {
  private static String document() throws IOException {
    try (InputStream in = ApiRoutes.class.getResourceAsStream("openapi.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void shouldBeAValidOpenApiDocument() throws IOException {
    SwaggerParseResult result = new OpenAPIParser().readContents(document(), null, null);

    assertThat(result.getMessages()).isEmpty();
    OpenAPI api = result.getOpenAPI();
    assertThat(api.getPaths())
        .containsKeys(
            "/api/v1/views",
            "/api/v1/views/{view}/query",
            "/api/v1/status",
            "/api/v1/dlq",
            "/api/v1/openapi.json");
  }

  @Test
  void shouldDocumentEveryQueryParameterTheParserAccepts() throws IOException {
    OpenAPI api = new OpenAPIParser().readContents(document(), null, null).getOpenAPI();

    assertThat(
            api.getPaths().get("/api/v1/views/{view}/query").getGet().getParameters().stream()
                .filter(p -> p.getIn().equals("query"))
                .map(Parameter::getName))
        .containsExactlyInAnyOrderElementsOf(QueryParser.PARAMETERS);
  }
}
