// Package acceptance holds the black-box tests of vssbot: they drive the
// command line (cli.Run, as `go run .` would) and real `vssbot serve`
// processes through what users and operators see — the JSON contract, the
// exit statuses, the settings — never through package internals. The
// field corpus (testdata/field at the root), the case bundles, the
// replicas behind one Redis and PostgreSQL, and the release toolchain's
// agreement across files live here.
package acceptance
