package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// envNames collects every VSSBOT_* variable a YAML document sets: Kubernetes
// env entries ({name: VSSBOT_...}) and Compose environment maps.
func envNames(v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if strings.HasPrefix(k, EnvPrefix+"_") {
				out[k] = true
			}
			if s, ok := x.(string); ok && k == "name" && strings.HasPrefix(s, EnvPrefix+"_") {
				out[s] = true
			}
			envNames(x, out)
		}
	case []any:
		for _, x := range v {
			envNames(x, out)
		}
	}
}

// TestDeploySettingsExist checks that every setting the deployment files
// name is one vssbot reads: a misspelt variable would be silently ignored.
func TestDeploySettingsExist(t *testing.T) {
	known := map[string]bool{EnvPrefix + "_CONFIG": true}
	for k := range defaults() {
		known[EnvPrefix+"_"+strings.ToUpper(strings.ReplaceAll(k, ".", "_"))] = true
	}
	names := map[string]bool{}
	files := 0
	err := filepath.WalkDir(filepath.Join("..", "deploy"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (!strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml")) {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(strings.NewReader(string(raw)))
		for {
			var doc any
			if err := dec.Decode(&doc); err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("%s: %v", path, err)
			}
			here := map[string]bool{}
			envNames(doc, here)
			if len(here) > 0 {
				files++
			}
			for n := range here {
				names[n] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 2 || len(names) < 8 {
		t.Fatalf("found %d settings in %d files: the deployment files moved?", len(names), files)
	}
	var unknown []string
	for n := range names {
		if !known[n] {
			unknown = append(unknown, n)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		t.Fatalf("deployment files set variables vssbot does not read: %v", unknown)
	}
}
