# Build a static binary; the knowledge base is embedded in it.
FROM golang:1.26 AS build
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
