# Stand-in for the official golang:X image, built with no registry: Debian
# bookworm (debootstrap, imported as local/debian:bookworm) plus the Go
# toolchain the project's Dockerfile names, as the module proxy serves it
# (golang.org/toolchain). The build context is that toolchain's GOROOT.
# GOPROXY points at the host's module cache served over plain HTTP on the
# bridge (the proxy's TLS certificate is not trusted inside the build).
FROM local/debian:bookworm
COPY . /usr/local/go
ARG GOPROXY
ENV GOTOOLCHAIN=local GOPATH=/go GOPROXY=${GOPROXY} GOSUMDB=off \
    PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go && go version
WORKDIR /go
