# One image for every Oxbow service: `docker run oxbow <command>` (ingest, stream, batch, serve,
# registry, replay, ...). Multi-stage: Maven builds the launcher layout, a JRE runs it as a
# non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true package -pl oxbow-cli -am

FROM eclipse-temurin:17-jre
RUN groupadd --system oxbow && useradd --system --gid oxbow --home-dir /app oxbow \
    && mkdir -p /app/lib /data && chown oxbow:oxbow /data
COPY --from=build /src/oxbow-cli/target/lib/ /app/lib/
COPY samples/ /app/samples/
USER oxbow
WORKDIR /app
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75" OXBOW_STREAM_STATE_DIR=/data/streams
# A container's loopback is unreachable from outside it: every HTTP service listens on all of the
# container's interfaces. Ingest, serve and registry then refuse to start without API keys
# (OXBOW_<SERVICE>_API_KEYS or _API_KEY_FILE) unless OXBOW_<SERVICE>_ALLOW_ANONYMOUS=true.
ENV OXBOW_INGEST_HOST=0.0.0.0 OXBOW_SERVE_HOST=0.0.0.0 OXBOW_REGISTRY_HOST=0.0.0.0 \
    OXBOW_STREAM_HTTP_HOST=0.0.0.0 OXBOW_BATCH_HTTP_HOST=0.0.0.0
ENTRYPOINT ["java", "-Doxbow.root=/app", "-cp", "/app/lib/*", "io.oxbow.cli.OxbowCli"]
CMD ["--help"]
