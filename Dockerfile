# Build a static binary; the knowledge base is embedded in it. Releases are
# built with Go 1.27.3: go1.26.8's standard library has vulnerabilities that
# the code reaches (see .ci/supply, which scans with the same Go).
FROM golang:1.27.3 AS build
ENV GOTOOLCHAIN=local
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/vssbot .

# A small, non-root final image: the binary, CA certificates and the examples.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/vssbot /usr/local/bin/vssbot
COPY --from=build /src/examples /examples
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/vssbot"]
CMD ["serve"]
