# syntax=docker/dockerfile:1
# Build stage: a release binary with the content compiled in.
FROM rust:1.88-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY benches ./benches
COPY config ./config
COPY content ./content
RUN cargo build --release --locked --bin studybot

# Runtime stage: only the binary, as a non-root user, data on a volume.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --create-home --home-dir /home/studybot studybot \
    && mkdir -p /data && chown studybot /data
COPY --from=build /src/target/release/studybot /usr/local/bin/studybot
USER studybot
WORKDIR /data
ENV STUDYBOT_DATABASE_URL=sqlite:///data/studybot.db
VOLUME /data
ENTRYPOINT ["studybot"]
CMD ["run"]
