# Stand-in for gcr.io/distroless/static-debian12:nonroot, built with no
# registry: what that image gives a static binary (passwd and group with
# nonroot 65532, Debian's CA bundle, zoneinfo, /tmp, the nonroot home), taken
# from local/debian:bookworm, on an empty root, with the same user and
# working directory.
FROM local/debian:bookworm AS root
RUN set -e; r=/out; mkdir -p $r/etc/ssl/certs $r/usr/share $r/tmp $r/home/nonroot $r/root; \
    cp /etc/ssl/certs/ca-certificates.crt $r/etc/ssl/certs/; \
    cp -a /usr/share/zoneinfo $r/usr/share/; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >$r/etc/passwd; \
    printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >$r/etc/group; \
    chmod 1777 $r/tmp; chmod 700 $r/home/nonroot $r/root; chown 65532:65532 $r/home/nonroot
FROM scratch
COPY --from=root /out/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532
WORKDIR /home/nonroot
