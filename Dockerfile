# The detector's images, from the same Maven build as bin/detector (tests skipped). Two targets:
#  - service (the default, last): the production module app/ alone (run, rules; no Kafka server inside), JRE 17, the
#    jar and its lib/ (the jar's manifest Class-Path);
#  - tools: the launcher of every command (module tools/: replay, generate, explain, demo, with the embedded broker),
#    for `docker compose run` of a replay or a generated history.
# Versions come from .env through docker-compose.yml.
ARG MAVEN_IMAGE_VERSION=3.9.9-eclipse-temurin-17
ARG JRE_IMAGE_VERSION=17.0.13_11-jre-jammy

FROM maven:${MAVEN_IMAGE_VERSION} AS build
WORKDIR /src
COPY pom.xml ./
COPY detector/ detector/
COPY cdc/ cdc/
COPY app/ app/
COPY tools/ tools/
COPY connectors/ connectors/
RUN mvn -B -Dmaven.test.skip=true package

FROM eclipse-temurin:${JRE_IMAGE_VERSION} AS runtime
# curl for the healthcheck (GET /health/live)
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/detector --create-home detector

FROM runtime AS tools
COPY --from=build /src/tools/target/lib/ /app/lib/
COPY --from=build /src/tools/target/curriculum-detector.jar /app/curriculum-detector.jar
USER detector
WORKDIR /var/lib/detector
ENTRYPOINT ["java", "-jar", "/app/curriculum-detector.jar"]
CMD ["--help"]

FROM runtime AS service
COPY --from=build /src/app/target/lib/ /app/lib/
COPY --from=build /src/app/target/curriculum-detector-service.jar /app/curriculum-detector-service.jar
USER detector
WORKDIR /var/lib/detector
# the metrics and health endpoint (run --metrics-port), the analysts' API (run --api-port)
EXPOSE 9464 8090
ENTRYPOINT ["java", "-jar", "/app/curriculum-detector-service.jar"]
CMD ["run", "--data-dir", "/var/lib/detector", "--metrics-address", "0.0.0.0", "--metrics-port", "9464"]
