package parse

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

var evtxTime = time.Date(2024, 3, 5, 1, 2, 3, 456789100, time.UTC)

// vssEvents are the VSS-relevant record shapes, as Windows logs them.
var vssEvents = []evtxtest.Event{
	{Provider: "VSS", EventID: 12289, Level: 2, Keywords: 0x80000000000000, Channel: "Application", Computer: "SRV01",
		Data: []evtxtest.Data{
			{Value: `Unexpected error DeviceIoControl(\\?\Volume{5b1b0d2c-0000-0000-0000-100000000000} - 0000000000000448,0x0053c008,0000000000000000,0,0000000000000000,0,[0]).  hr = 0x80070001, Incorrect function.` + "\n"},
			{Value: "\n\nOperation:\n   Processing EndPrepareSnapshots\n\nContext:\n   Execution Context: System Provider"},
		}, Binary: []byte("- Code:  SNPPRVRC00000733")},
	{Provider: "volsnap", EventID: 25, Qualifiers: 49158, Level: 2, Keywords: 0x80000000000000, Channel: "System", Computer: "SRV01",
		Data: []evtxtest.Data{{Value: `\Device\HarddiskVolumeShadowCopy12`}, {Value: "C:"}}, Binary: make([]byte, 40)},
	{Provider: "volsnap", EventID: 36, Qualifiers: 49158, Level: 2, Keywords: 0x80000000000000, Channel: "System", Computer: "SRV01",
		Data: []evtxtest.Data{{Value: `\Device\HarddiskVolumeShadowCopy13`}, {Value: "D:"}}, Binary: make([]byte, 40)},
	{Provider: "VSS", EventID: 8229, Level: 3, Keywords: 0x80000000000000, Channel: "Application", Computer: "SRV01",
		Data: []evtxtest.Data{
			{Value: "0x800423f4, The writer experienced a non-transient error.  If the backup process is retried,\nthe error is likely to reoccur.\n"},
			{Value: "\n\nOperation:\n   PrepareForSnapshot Event\n\nContext:\n   Execution Context: Writer\n   Writer Class Id: {a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}\n   Writer Name: SqlServerWriter\n   Writer Instance ID: {9075f235-4d23-4e0e-b6e2-b2b2d2d1e7d1}\n   Command Line: \"C:\\Program Files\\Microsoft SQL Server\\90\\Shared\\sqlwriter.exe\"\n   Process ID: 1234"},
		}},
	// Noise: other sources, one with an hr in its data, give nothing.
	{Provider: "Microsoft-Windows-Winlogon", EventID: 6000, Level: 4, Channel: "Application", Computer: "SRV01",
		ProviderGUID: [16]byte{1, 2, 3}, UserSID: "S-1-5-18", Data: []evtxtest.Data{{Name: "Reason", Value: "hr = 0x80004005"}}},
	{Provider: "Service Control Manager", EventID: 7036, Qualifiers: 16384, Level: 4, Channel: "System", Computer: "SRV01",
		Data: []evtxtest.Data{{Name: "param1", Value: "Volume Shadow Copy"}, {Name: "param2", Value: "running"}}},
}

func withTimes(evs []evtxtest.Event) []evtxtest.Event {
	out := make([]evtxtest.Event, len(evs))
	for i, ev := range evs {
		ev.Time = evtxTime.Add(time.Duration(i) * time.Minute)
		ev.RecordID = uint64(1000 + i)
		out[i] = ev
	}
	return out
}

// exportXML writes events as Event Viewer's "Save as XML" does.
func exportXML(evs []evtxtest.Event) string {
	var sb strings.Builder
	sb.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Events>\n")
	for _, ev := range evs {
		q := ""
		if ev.Qualifiers != 0 {
			q = fmt.Sprintf(" Qualifiers='%d'", ev.Qualifiers)
		}
		fmt.Fprintf(&sb, "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='%s'/>"+
			"<EventID%s>%d</EventID><Level>%d</Level><Task>0</Task><Keywords>0x%x</Keywords>"+
			"<TimeCreated SystemTime='%s'/><EventRecordID>%d</EventRecordID><Channel>%s</Channel><Computer>%s</Computer><Security/></System><EventData>",
			ev.Provider, q, ev.EventID, ev.Level, ev.Keywords, ev.Time.Format("2006-01-02T15:04:05.000000000Z"), ev.RecordID, ev.Channel, ev.Computer)
		for _, d := range ev.Data {
			if d.Name != "" {
				fmt.Fprintf(&sb, "<Data Name='%s'>%s</Data>", d.Name, html.EscapeString(fmt.Sprint(d.Value)))
			} else {
				fmt.Fprintf(&sb, "<Data>%s</Data>", html.EscapeString(fmt.Sprint(d.Value)))
			}
		}
		if ev.Binary != nil {
			fmt.Fprintf(&sb, "<Binary>%X</Binary>", ev.Binary)
		}
		sb.WriteString("</EventData></Event>\n")
	}
	sb.WriteString("</Events>\n")
	return sb.String()
}

// comparable drops what differs between two forms of one log: the file
// name and the place (line or record position).
func comparable(fs []Finding) []Finding {
	out := make([]Finding, len(fs))
	for i, f := range fs {
		f.Source, f.Line = "", 0
		out[i] = f
	}
	return out
}

func TestEVTXMatchesXMLExport(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	evs := withTimes(vssEvents)
	bin, err := p.Parse(context.Background(), "Application.evtx", bytes.NewReader(evtxtest.File(evs...)))
	if err != nil {
		t.Fatal(err)
	}
	xml, err := p.Parse(context.Background(), "Application.xml", strings.NewReader(exportXML(evs)))
	if err != nil {
		t.Fatal(err)
	}
	got, want := comparable(bin.Findings), comparable(xml.Findings)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("evtx findings differ from the XML export's:\n got: %+v\nwant: %+v", got, want)
	}
	in := bin.Inputs[0]
	if in.Format != "evtx" || in.Records != int64(len(evs)) || in.Unreadable != 0 {
		t.Errorf("input %+v", in)
	}
	checks := []struct {
		provider string
		event    int
		code     string
		writer   string
		record   int64
		time     string
	}{
		{"VSS", 12289, "0x80070001", "", 1000, "2024-03-05T01:02:03.456"},
		{"VolSnap", 25, "", "", 1001, "2024-03-05T01:03:03.456"},
		{"VolSnap", 36, "", "", 1002, "2024-03-05T01:04:03.456"},
		{"VSS", 8229, "0x800423f4", "SqlServerWriter", 1003, "2024-03-05T01:05:03.456"},
	}
	for _, c := range checks {
		found := false
		for _, f := range bin.Findings {
			if f.Kind == KindEvent && f.Provider == c.provider && f.Event == c.event {
				found = true
				if f.Code != c.code || f.Writer != c.writer || f.Record != c.record || !strings.HasPrefix(f.Time, c.time) || f.Zone != ZoneUTC {
					t.Errorf("%s/%d: %+v", c.provider, c.event, f)
				}
			}
		}
		if !found {
			t.Errorf("%s/%d not found in %+v", c.provider, c.event, bin.Findings)
		}
	}
	for _, f := range bin.Findings {
		if f.Kind == KindEvent && f.Provider != "VSS" && f.Provider != "VolSnap" || f.Code == "0x80004005" {
			t.Errorf("spurious finding %+v", f)
		}
	}
}

// TestEVTXInContainers finds an event log by its signature whatever its
// name, plain, in a zip and in a gzip.
func TestEVTXInContainers(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	log := evtxtest.File(withTimes(vssEvents)...)
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("logs/System.bin")
	w.Write(log)
	zw.Close()
	var gbuf bytes.Buffer
	gw := gzip.NewWriter(&gbuf)
	gw.Write(log)
	gw.Close()
	for name, data := range map[string][]byte{"dump.dat": log, "bundle.zip": zbuf.Bytes(), "sys.gz": gbuf.Bytes()} {
		res, err := p.Parse(context.Background(), name, bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n := 0
		for _, f := range res.Findings {
			if f.Kind == KindEvent {
				n++
			}
		}
		last := res.Inputs[len(res.Inputs)-1]
		if n != 4 || last.Format != "evtx" || last.Records != int64(len(vssEvents)) {
			t.Errorf("%s: %d events, inputs %+v", name, n, res.Inputs)
		}
	}
}

// TestEVTXFanOut: a file of templates nested so that its records cost far
// more to render than their size is read within its budget, and what it
// cost is reported as damage, not silently dropped.
func TestEVTXFanOut(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	res, err := p.Parse(context.Background(), "fan.evtx", bytes.NewReader(evtxtest.FanOut(2<<20, 2000, 5)))
	if err != nil {
		t.Fatal(err)
	}
	in := res.Inputs[0]
	if in.Format != "evtx" || in.Unreadable == 0 || !strings.Contains(in.Damage, "budget") {
		t.Errorf("input %+v; want the records over budget counted unreadable, the damage naming the budget", in)
	}
	// A cancelled context stops the reading at a chunk.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Parse(ctx, "fan.evtx", bytes.NewReader(evtxtest.FanOut(2<<20, 2000, 5))); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

// BenchmarkParseFanOut parses the hostile fan-out file (2 MB, 2,000
// substitutions nested five deep).
func BenchmarkParseFanOut(b *testing.B) {
	data := evtxtest.FanOut(2<<20, 2000, 5)
	p := New(loadVocab(b), Limits{})
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := p.Parse(context.Background(), "fan.evtx", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
