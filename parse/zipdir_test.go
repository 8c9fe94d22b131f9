package parse

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// manyEntries is a zip of n empty entries.
func manyEntries(tb testing.TB, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range n {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("e/%07d.log", i), Method: zip.Store}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// forgedZip64 is an empty archive whose zip64 end record claims entries
// entries in a directory of dirSize bytes.
func forgedZip64(entries, dirSize uint64) []byte {
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("PK\x03\x04") // a local header, as an archive starts
	b.Write(make([]byte, 26))
	b.WriteString("PK\x06\x06")
	le(uint64(44))
	le(uint16(45))
	le(uint16(45))
	le(uint32(0))
	le(uint32(0))
	le(entries)
	le(entries)
	le(dirSize)
	le(uint64(0))
	b.WriteString("PK\x06\x07")
	le(uint32(0))
	le(uint64(30)) // the zip64 record follows the local header
	le(uint32(1))
	b.WriteString("PK\x05\x06")
	le(uint16(0))
	le(uint16(0))
	le(uint16(0xffff))
	le(uint16(0xffff))
	le(uint32(0xffffffff))
	le(uint32(0xffffffff))
	le(uint16(0))
	return b.Bytes()
}

// lyingZip64 rewrites the zip64 end record of z to claim entries entries in
// dirSize bytes.
func lyingZip64(tb testing.TB, z []byte, entries, dirSize uint64) []byte {
	tb.Helper()
	z = bytes.Clone(z)
	i := bytes.LastIndex(z, []byte("PK\x06\x06"))
	if i < 0 {
		tb.Fatal("no zip64 end record")
	}
	binary.LittleEndian.PutUint64(z[i+24:], entries)
	binary.LittleEndian.PutUint64(z[i+32:], entries)
	binary.LittleEndian.PutUint64(z[i+40:], dirSize)
	return z
}

// TestZipDirectoryRefusedBeforeOpening: an archive whose end record lists
// more entries (or more directory) than the limits allow is refused without
// archive/zip reading its directory, and one whose directory runs past what
// its record says stops at the record's size.
func TestZipDirectoryRefusedBeforeOpening(t *testing.T) {
	exit := []byte("07/13/2017 04:40:44.020 Exit Code -311\n")
	files := map[string][]byte{}
	var names []string
	for i := range 30 {
		n := fmt.Sprintf("logs/%d.log", i)
		files[n], names = exit, append(names, n)
	}
	tests := []struct {
		name string
		in   []byte
		want string // in the error
	}{
		{"count over the limit", zipOf(t, files, names...), "lists 30 entries"},
		{"zip64 count", forgedZip64(530_000, 530_000*46), "lists 530000 entries"},
		{"directory over the limit", forgedZip64(5, 1<<30), "directory of 1073741824 bytes"},
		{"directory longer than declared", lyingZip64(t, manyEntries(t, 65536+5), 5, 5*60), errZipDirectoryTooLong.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New(nil, Limits{MaxArchiveEntries: 10}).Parse(context.Background(), "bundle.zip", bytes.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one saying %q", err, tt.want)
			}
			if len(res.Inputs) != 1 || len(res.Findings) != 0 {
				t.Errorf("entries were read: inputs %+v findings %+v", res.Inputs, res.Findings)
			}
		})
	}
	// Within the limits, the same reading opens the archive.
	res, err := New(nil, Limits{MaxArchiveEntries: 30}).Parse(context.Background(), "bundle.zip", bytes.NewReader(tests[0].in))
	if err != nil || len(res.Inputs) != 31 {
		t.Errorf("30 entries under a limit of 30: %v, %d inputs", err, len(res.Inputs))
	}
}

// TestZipEntryRatioCountsBytesRead: an entry declaring a huge compressed
// size stops at MaxRatio of what was really read, as the same data in a gzip
// stream does.
func TestZipEntryRatioCountsBytesRead(t *testing.T) {
	big := make([]byte, 16<<20)
	z := zipOf(t, map[string][]byte{"bomb.log": big}, "bomb.log")
	cd := bytes.LastIndex(z, []byte("PK\x01\x02"))
	binary.LittleEndian.PutUint32(z[cd+20:], 0x7fffffff) // declared compressed size
	for name, in := range map[string][]byte{"zip": z, "gzip": gzipOf(t, big)} {
		res, err := New(nil, Limits{MaxRatio: 50}).Parse(context.Background(), "bomb", bytes.NewReader(in))
		var le *LimitError
		if !errors.As(err, &le) || le.Limit != "MaxRatio" {
			t.Errorf("%s: error %v, want MaxRatio", name, err)
			continue
		}
		if got := res.Inputs[len(res.Inputs)-1].Bytes; got > 8<<20 {
			t.Errorf("%s: read %d bytes of the entry before stopping", name, got)
		}
	}
}
