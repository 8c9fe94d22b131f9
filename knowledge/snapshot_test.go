package knowledge

import (
	"os"
	"reflect"
	"testing"
	"testing/fstest"

	goldenfile "github.com/vssbot/vssbot/internal/golden"
)

// refresh is what a stale snapshot's failures say.
const refresh = "knowledge/snapshot.bin is stale: run go generate ./knowledge"

// TestSnapshotFresh checks that snapshot.bin was taken of the embedded YAML
// files and that the Base Load builds from it is the one the YAML decodes
// to; under -update (go generate ./knowledge) it rewrites the snapshot. It
// also pins the embedded YAML as valid: Load trusts the snapshot without
// validating the files again.
func TestSnapshotFresh(t *testing.T) {
	files, err := readFS(embedded)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := decodeEmbedded(files)
	if err != nil {
		t.Fatalf("embedded YAML: %v", err)
	}
	sum, err := sumFS(embedded)
	if err != nil {
		t.Fatal(err)
	}
	if goldenfile.Update() {
		data, err := encodeSnapshot(decoded, sum)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("snapshot.bin", data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if _, ok := fromSnapshot(snapshotData, sum); !ok {
		t.Fatalf("%s (it was not taken of these YAML files and entry types)", refresh)
	}
	fast, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if want := newBase(decoded); !reflect.DeepEqual(fast, want) {
		t.Fatalf("%s (the Base it gives differs from the YAML's)", refresh)
	}
}

// TestSnapshotRefused: a snapshot is used only when its checksum is that of
// the files, and damaged bytes are refused, not trusted.
func TestSnapshotRefused(t *testing.T) {
	sum, err := sumFS(embedded)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fromSnapshot(snapshotData, sum); !ok {
		t.Fatal(refresh)
	}
	files, err := readFS(embedded)
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(fstest.MapFS){
		"a file edited":  func(m fstest.MapFS) { m[files[0].name].Data = append([]byte("# edited\n"), files[0].data...) },
		"a file renamed": func(m fstest.MapFS) { m[files[0].name+".yaml"] = m[files[0].name]; delete(m, files[0].name) },
		"a file added":   func(m fstest.MapFS) { m["data/zz.yaml"] = &fstest.MapFile{Data: []byte("codes: []\n")} },
		"a file removed": func(m fstest.MapFS) { delete(m, files[0].name) },
	} {
		m := fstest.MapFS{}
		for _, f := range files {
			m[f.name] = &fstest.MapFile{Data: f.data}
		}
		edit(m)
		other, err := sumFS(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fromSnapshot(snapshotData, other); ok {
			t.Errorf("%s: the snapshot was still used", name)
		}
	}
	head := len(sum)
	for _, cut := range []int{0, head - 1, head, head + 1, len(snapshotData) / 2, len(snapshotData) - 1} {
		if _, ok := fromSnapshot(snapshotData[:cut], sum); ok {
			t.Errorf("a snapshot cut to %d bytes was used", cut)
		}
	}
	for _, at := range []int{head, head + 1, head + 7, len(snapshotData) / 3} {
		b := []byte(snapshotData)
		b[at] ^= 0xff
		fromSnapshot(string(b), sum) // must not panic; a flip inside a string goes unnoticed
	}
}

// TestSnapshotSum: the checksum reads the files as fs.ReadFile would.
func TestSnapshotSum(t *testing.T) {
	a, err := sumFS(embedded)
	if err != nil {
		t.Fatal(err)
	}
	files, err := readFS(embedded)
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	for _, f := range files {
		m[f.name] = &fstest.MapFile{Data: f.data}
	}
	if b, err := sumFS(m); err != nil || a != b {
		t.Errorf("sum of a copy of the files = %x, %v; want %x", b, err, a)
	}
}

// BenchmarkLoadYAML is the embedded base decoded and validated from its
// YAML, the path Load takes when the snapshot is stale (and an overlay's).
func BenchmarkLoadYAML(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		e, err := loadFS(embedded)
		if err != nil {
			b.Fatal(err)
		}
		newBase(e)
	}
}
