package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestNegativeQueries(t *testing.T) {
	root := (&app{}).rootCommand()
	tests := []struct{ in, want string }{
		{"lookup -311", "lookup -- -311"},
		{"lookup --format json -2147212302", "lookup --format json -- -2147212302"},
		{"lookup -2147212302 --format=json 0x800423f3", "lookup --format=json -- -2147212302 0x800423f3"},
		{"--config x.yaml lookup -311 --lang ja", "--config x.yaml lookup --lang ja -- -311"},
		{"lookup 0x800423f2", "lookup 0x800423f2"},
		{"lookup -- -311", "lookup -- -311"},
		{"diagnose -311", "diagnose -311"},
	}
	for _, tt := range tests {
		got := strings.Join(negativeQueries(root, strings.Fields(tt.in)), " ")
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLookupNegative runs the command line the README promises.
func TestLookupNegative(t *testing.T) {
	for _, args := range [][]string{{"lookup", "-311"}, {"lookup", "--format", "json", "-2147212302"}} {
		var out, errb bytes.Buffer
		if code := Run(context.Background(), args, strings.NewReader(""), &out, &errb); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		if slices.Contains(args, "json") {
			var r struct{ Headline string }
			if err := json.Unmarshal(out.Bytes(), &r); err != nil || !strings.Contains(r.Headline, "0x800423f2") {
				t.Errorf("%v: %v %q", args, err, r.Headline)
			}
		} else if !strings.Contains(out.String(), "-311") {
			t.Errorf("%v: %s", args, out.String())
		}
	}
}
