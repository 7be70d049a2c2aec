# syntax=docker/dockerfile:1
# studybot: a release build with the content compiled in, run as a non-root user with the
# database on the /data volume. The dependency layer is cached by cargo-chef, so changing
# the bot's code or content rebuilds only the bot.

FROM rust:1.95-slim-bookworm AS chef
RUN cargo install cargo-chef --locked --version 0.1.78
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS build
COPY --from=planner /src/recipe.json recipe.json
RUN cargo chef cook --release --locked --recipe-path recipe.json --bin studybot
COPY . .
RUN cargo build --release --locked --bin studybot

FROM debian:bookworm-slim AS runtime
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin studybot \
    && mkdir -p /data \
    && chown studybot /data
COPY --from=build /src/target/release/studybot /usr/local/bin/studybot
USER 10001
WORKDIR /data
# Listen on all interfaces inside the container so Prometheus can scrape /metrics;
# publish the port only where you want it reachable.
ENV STUDYBOT_DATABASE_URL=sqlite:///data/studybot.db \
    STUDYBOT_HTTP_LISTEN=0.0.0.0:9184
VOLUME /data
EXPOSE 9184
# The slim image has no curl: bash's /dev/tcp asks /healthz and checks for a 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9184 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["studybot"]
CMD ["run"]
