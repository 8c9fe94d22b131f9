package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	kjson "sigs.k8s.io/json"
	kustomize "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"
)

// manifests is what a directory holds, decoded.
type manifests struct {
	dir           string
	count         int
	kustomization *kustomize.Kustomization
	files         []string // every *.yaml but the kustomization
	deployments   []*appsv1.Deployment
	services      []*corev1.Service
	pdbs          []*policyv1.PodDisruptionBudget
	secrets       []*corev1.Secret
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// load decodes every *.yaml file of dir, each document into its type.
func load(dir string) (*manifests, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no *.yaml", dir)
	}
	m := &manifests{dir: dir}
	var errs []error
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		for i, doc := range docSeparator.Split(string(data), -1) {
			if strings.TrimSpace(stripComments(doc)) == "" {
				continue
			}
			if err := m.add(filepath.Base(name), []byte(doc)); err != nil {
				errs = append(errs, fmt.Errorf("%s (document %d): %w", name, i+1, err))
			}
		}
	}
	return m, errors.Join(errs...)
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// add decodes one document by its apiVersion and kind.
func (m *manifests) add(file string, doc []byte) error {
	js, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return err
	}
	var tm struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(js, &tm); err != nil {
		return err
	}
	m.count++
	switch tm.APIVersion + " " + tm.Kind {
	case "kustomize.config.k8s.io/v1beta1 Kustomization":
		if m.kustomization != nil {
			return errors.New("a second Kustomization")
		}
		m.kustomization = new(kustomize.Kustomization)
		return strict(js, m.kustomization)
	case "apps/v1 Deployment":
		return decodeInto(js, &m.deployments, file, m)
	case "v1 Service":
		return decodeInto(js, &m.services, file, m)
	case "policy/v1 PodDisruptionBudget":
		return decodeInto(js, &m.pdbs, file, m)
	case "v1 Secret":
		return decodeInto(js, &m.secrets, file, m)
	}
	return fmt.Errorf("apiVersion %q kind %q: not a kind kubecheck knows (add it)", tm.APIVersion, tm.Kind)
}

func decodeInto[T any](js []byte, list *[]*T, file string, m *manifests) error {
	v := new(T)
	if err := strict(js, v); err != nil {
		return err
	}
	*list = append(*list, v)
	m.files = appendOnce(m.files, file)
	return nil
}

// strict decodes as the API server does with fieldValidation=Strict: case
// sensitive, unknown and duplicate fields refused.
func strict(js []byte, v any) error {
	strictErrs, err := kjson.UnmarshalStrict(js, v, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil {
		return err
	}
	return errors.Join(strictErrs...)
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
