package parse

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

// systemWithVolSnap is the real System log with a chunk of VolSnap and VSS
// records put among its chunks, as a log holding them would be.
func systemWithVolSnap(t *testing.T) []byte {
	src, err := os.ReadFile(realSystemLog)
	if err != nil {
		t.Skipf("real System log absent: %v", err)
	}
	at := time.Date(2017, 7, 13, 5, 2, 11, 500000000, time.UTC)
	ours := evtxtest.File(
		evtxtest.Event{Provider: "volsnap", EventID: 25, Qualifiers: 49158, Level: 2, Time: at, RecordID: 995, Channel: "System", Computer: "WIN-P4SIAA0SQCO",
			Data: []evtxtest.Data{{Value: `\Device\HarddiskVolumeShadowCopy12`}, {Value: "C:"}}, Binary: make([]byte, 40)},
		evtxtest.Event{Provider: "volsnap", EventID: 36, Qualifiers: 49158, Level: 2, Time: at.Add(time.Hour), RecordID: 996, Channel: "System", Computer: "WIN-P4SIAA0SQCO",
			Data: []evtxtest.Data{{Value: `\Device\HarddiskVolumeShadowCopy13`}, {Value: "C:"}}, Binary: make([]byte, 40)},
	)
	const chunk = 64 << 10
	out := bytes.Clone(src[:4096+8*chunk])
	out = append(out, ours[4096:]...)
	return append(out, src[4096+8*chunk:]...)
}

// TestSystemLogVariants is the held-out check done on a real System log:
// whole, cut short, with one chunk damaged and inside a zip, it gives its
// two VolSnap events with their times, and nothing else.
func TestSystemLogVariants(t *testing.T) {
	log := systemWithVolSnap(t)
	const chunk = 64 << 10
	damaged := bytes.Clone(log)
	copy(damaged[4096+3*chunk:], "garbage!")              // chunk 3 loses its signature
	clear(damaged[4096+5*chunk+2000 : 4096+5*chunk+9000]) // chunk 5 loses records
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("Logs/System.evtx")
	w.Write(log)
	zw.Close()
	p := New(loadVocab(t), Limits{})
	for _, v := range []struct {
		name   string
		data   []byte
		damage bool
	}{
		{"System.evtx", log, false},
		{"System-cut.evtx", log[:4096+10*chunk+chunk/2], true},
		{"System-damaged.evtx", damaged, true},
		{"bundle.zip", zbuf.Bytes(), false},
	} {
		t.Run(v.name, func(t *testing.T) {
			res, err := p.Parse(context.Background(), v.name, bytes.NewReader(v.data))
			if err != nil {
				t.Fatal(err)
			}
			want := []struct {
				event  int
				time   string
				record int64
			}{{25, "2017-07-13T05:02:11.500", 995}, {36, "2017-07-13T06:02:11.500", 996}}
			if len(res.Findings) != len(want) {
				t.Fatalf("want the 2 VolSnap events, got %+v", res.Findings)
			}
			for i, f := range res.Findings {
				if f.Kind != KindEvent || f.Provider != "VolSnap" || f.Event != want[i].event || f.Time != want[i].time || f.Record != want[i].record {
					t.Errorf("finding %d: %+v, want VolSnap %+v", i, f, want[i])
				}
			}
			in := res.Inputs[len(res.Inputs)-1]
			if (in.Unreadable > 0) != v.damage || v.damage && in.Damage == "" {
				t.Errorf("damage not reported as expected: %+v", in)
			}
			if in.Records < 1000 {
				t.Errorf("only %d records read: %+v", in.Records, in)
			}
		})
	}
}
