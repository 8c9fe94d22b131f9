package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const manifestsDir = "../../deploy/kubernetes"

func TestManifestsPass(t *testing.T) {
	m, err := load(manifestsDir)
	if err == nil {
		err = m.check()
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestBrokenManifestsFail breaks a copy of the manifests one way at a time:
// each must be refused, naming what is wrong.
func TestBrokenManifestsFail(t *testing.T) {
	tests := []struct {
		name, file, old, new, want string
	}{
		{"misspelt field", "deployment.yaml", "containerPort: 8080", "containerPorts: 8080", "containerPorts"},
		{"field in the wrong case", "deployment.yaml", "readOnlyRootFilesystem", "readonlyRootFilesystem", "readonlyRootFilesystem"},
		{"duplicate key", "deployment.yaml", "  replicas: 2\n", "  replicas: 2\n  replicas: 3\n", "replicas"},
		{"wrong type", "deployment.yaml", `prometheus.io/port: "8080"`, "prometheus.io/port: 8080", "annotations"},
		{"unknown kind", "pdb.yaml", "kind: PodDisruptionBudget", "kind: PodDisruptionBudgets", "PodDisruptionBudgets"},
		{"old apiVersion", "pdb.yaml", "policy/v1", "policy/v1beta1", "policy/v1beta1"},
		{"misspelt kustomization field", "kustomization.yaml", "resources:", "resource:", "resource"},
		{"manifest left out of the kustomization", "kustomization.yaml", "  - pdb.yaml\n", "", "pdb.yaml"},
		{"missing resource", "kustomization.yaml", "  - pdb.yaml\n", "  - pdb.yaml\n  - hpa.yaml\n", "hpa.yaml"},
		{"service selects nothing", "service.yaml", "  selector:\n    app.kubernetes.io/name: vssbot", "  selector:\n    app.kubernetes.io/name: vssbot2", "selects no"},
		{"service port name", "service.yaml", "targetPort: http", "targetPort: web", `"web"`},
		{"probe port name", "deployment.yaml", "httpGet: { path: /healthz, port: http }", "httpGet: { path: /healthz, port: htp }", `"htp"`},
		{"pod labels differ from the selector", "deployment.yaml", "      labels:\n        app.kubernetes.io/name: vssbot\n", "      labels:\n        app.kubernetes.io/name: vssbot-x\n", "does not match"},
		{"secret key not in the example", "deployment.yaml", "key: redis-url", "key: redis_url", "redis_url"},
		{"pdb selects nothing", "pdb.yaml", "app.kubernetes.io/name: vssbot", "app.kubernetes.io/name: other", "PodDisruptionBudget vssbot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t)
			name := filepath.Join(dir, tt.file)
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tt.old) {
				t.Fatalf("%s no longer contains %q: update the test", tt.file, tt.old)
			}
			if err := os.WriteFile(name, []byte(strings.Replace(string(b), tt.old, tt.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := load(dir)
			if err == nil {
				err = m.check()
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error does not name %q:\n%v", tt.want, err)
			}
		})
	}
}

func TestUnlistedManifestFails(t *testing.T) {
	dir := copyDir(t)
	svc, err := os.ReadFile(filepath.Join(dir, "service.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "extra.yaml"), svc, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := load(dir)
	if err == nil {
		err = m.check()
	}
	if err == nil || !strings.Contains(err.Error(), "extra.yaml") {
		t.Fatalf("an unlisted manifest: %v", err)
	}
}

func copyDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	names, err := filepath.Glob(filepath.Join(manifestsDir, "*.yaml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(n)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
