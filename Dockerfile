# syntax=docker/dockerfile:1
# Build: docker build -t knotmock .
# Run:   docker run -p 8080:8080 knotmock
FROM golang:1.26-bookworm AS build
# Lets builds behind a module proxy work (docker build --build-arg GOPROXY=...);
# the default keeps Go's own.
ARG GOPROXY
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/knotmock .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/knotmock /knotmock
ENV KNOTMOCK_ADDR=:8080 \
    KNOTMOCK_LOG_FORMAT=json
EXPOSE 8080
USER nonroot:nonroot
# The binary checks itself: the image has no shell or curl.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 CMD ["/knotmock", "healthcheck"]
ENTRYPOINT ["/knotmock"]
