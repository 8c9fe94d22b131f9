// Command kubecheck checks the Kubernetes manifests strictly, as an API
// server would decode them, so that a typo in a field fails CI:
//
//	go run . ../../deploy/kubernetes
//
// Every document is decoded into its k8s.io/api type (the kustomization into
// kustomize's) with unknown fields, fields in the wrong case and duplicate
// keys refused; then the manifests are checked against each other: the
// kustomization lists every manifest but the *.example.yaml templates,
// selectors match the pod labels, named ports exist, and every secret key
// the pods read is in the example Secret. It lives in a module of its own so
// that the product's go.mod and vulnerability scan carry none of this.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: kubecheck DIR")
		os.Exit(2)
	}
	set, err := load(os.Args[1])
	if err == nil {
		err = set.check()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kubecheck:", err)
		os.Exit(1)
	}
	fmt.Printf("kubecheck: %d manifests in %s decode strictly and agree\n", set.count, os.Args[1])
}
