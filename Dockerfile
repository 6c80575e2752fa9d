# bodystats: built with cgo (mattn/go-sqlite3), run on a small image with a libc, as a non-root user.
#   docker build -t bodystats .
#   docker run --rm -p 127.0.0.1:8080:8080 -v bodystats-data:/data bodystats
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN ./scripts/build.sh /out/bodystats

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin bodystats \
 && mkdir -p /data && chown bodystats:bodystats /data && chmod 700 /data
COPY --from=build /out/bodystats /usr/local/bin/bodystats
USER bodystats
# Inside the container the app listens on every interface; the Host allowlist still refuses other host names.
# Publish the port on the host's loopback only (-p 127.0.0.1:8080:8080) unless you mean to share it, and then
# name the host you use in BODYSTATS_ALLOWED_HOSTS (and BODYSTATS_BASE_URL for OAuth callbacks).
ENV BODYSTATS_ADDR=0.0.0.0:8080 \
    BODYSTATS_BASE_URL=http://localhost:8080 \
    BODYSTATS_ALLOWED_HOSTS= \
    BODYSTATS_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s CMD ["/usr/local/bin/bodystats", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/bodystats"]
