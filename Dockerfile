# The detector's image: the same Maven build as bin/detector (tests skipped), then a JRE 17 runtime with the
# executable jar and its lib/ (the jar's manifest Class-Path). Versions come from .env through docker-compose.yml.
ARG MAVEN_IMAGE_VERSION=3.9.9-eclipse-temurin-17
ARG JRE_IMAGE_VERSION=17.0.13_11-jre-jammy

FROM maven:${MAVEN_IMAGE_VERSION} AS build
WORKDIR /src
COPY pom.xml ./
COPY detector/ detector/
COPY cdc/ cdc/
COPY app/ app/
COPY connectors/ connectors/
RUN mvn -B -Dmaven.test.skip=true package

FROM eclipse-temurin:${JRE_IMAGE_VERSION}
# curl for the healthcheck (GET /health/live)
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/detector --create-home detector
COPY --from=build /src/app/target/lib/ /app/lib/
COPY --from=build /src/app/target/curriculum-detector.jar /app/curriculum-detector.jar
USER detector
WORKDIR /var/lib/detector
# the metrics and health endpoint (run --metrics-port)
EXPOSE 9464 8090
ENTRYPOINT ["java", "-jar", "/app/curriculum-detector.jar"]
CMD ["run", "--data-dir", "/var/lib/detector", "--metrics-address", "0.0.0.0", "--metrics-port", "9464"]
