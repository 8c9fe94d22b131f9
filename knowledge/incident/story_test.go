package incident_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/knowledge/incident"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

// storyDir holds the cases of several sources; knowledge's tests and the
// acceptance tests read them too.
var storyDir = filepath.Join("..", "testdata", "story")

// loadBase loads the embedded knowledge base.
func loadBase(t testing.TB) *knowledge.Base {
	t.Helper()
	b, err := knowledge.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// diagnoseFiles parses testdata/story files with the real parser, as the
// CLI does with several files, and diagnoses them together.
func diagnoseFiles(t *testing.T, b *knowledge.Base, l lang.Tag, names ...string) *knowledge.Report {
	t.Helper()
	p := parse.New(b, parse.Limits{})
	var results []*parse.Result
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(storyDir, n))
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Parse(context.Background(), n, bytes.NewReader(data))
		if err != nil {
			t.Fatalf("parse %s: %v", n, err)
		}
		results = append(results, res)
	}
	return b.Diagnose(parse.Merge(results...), l)
}

// sourcesSeen lists an incident's distinct sources.
func sourcesSeen(in incident.Incident) []string {
	var out []string
	for _, s := range in.Sources {
		if !strings.Contains(strings.Join(out, "\n"), s.Source) {
			out = append(out, s.Source)
		}
	}
	return out
}

func TestIncidents(t *testing.T) {
	b := loadBase(t)
	tests := []struct {
		name    string
		files   []string
		lang    lang.Tag
		sources []string // of the one incident; nil: no incident
		note    string   // in the offset note
		time    string
	}{
		{"task log and an event export in another zone", []string{"task-utc.log", "application-jst.txt"}, lang.English,
			[]string{"task-utc.log", "application-jst.txt"}, "The event log (application-jst.txt) is 9 h ahead of the task log (task-utc.log); so the event log (application-jst.txt) was written in UTC+09:00.", "2026-11-28T04:40:43.957Z"},
		{"the same in lang.Japanese", []string{"application-jst.txt", "task-utc.log"}, lang.Japanese,
			[]string{"task-utc.log", "application-jst.txt"}, "タスク ログ (task-utc.log)より 9 時間 (9 h) 進んでいます", "2026-11-28T04:40:43.957Z"},
		{"task log in JST and the event XML in UTC", []string{"task-jst.log", "application.xml"}, lang.English,
			[]string{"task-jst.log", "application.xml"}, "is 9 h behind the task log (task-jst.log); so the task log (task-jst.log) was written in UTC+09:00", "2026-11-28T13:40:43.957+09:00"},
		{"a decoy of the same ID beside the real event", []string{"task-utc.log", "application-decoy-jst.txt"}, lang.English,
			[]string{"task-utc.log", "application-decoy-jst.txt"}, "9 h ahead", "2026-11-28T04:40:43.957Z"},
		{"an event between VssStart and the failure report, 85 s early", []string{"task-utc.log", "application-inwindow-jst.txt"}, lang.English,
			[]string{"task-utc.log", "application-inwindow-jst.txt"}, "9 h ahead", "2026-11-28T04:40:43.957Z"},
		{"an event before VssStart", []string{"task-utc.log", "application-early-jst.txt"}, lang.English, nil, "", ""},
		{"vssadmin a week later", []string{"task-utc.log", "vssadmin-later.txt"}, lang.English, nil, "", ""},
		{"a decoy of the same ID hours away", []string{"task-utc.log", "decoy-jst.txt"}, lang.English, nil, "", ""},
		{"an unrelated event at the aligned time", []string{"task-utc.log", "volsnap-jst.txt"}, lang.English, nil, "", ""},
		{"one source", []string{"task-utc.log"}, lang.English, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := diagnoseFiles(t, b, tt.lang, tt.files...)
			if tt.sources == nil {
				if len(r.Incidents) != 0 || r.Timeline != nil {
					t.Fatalf("joined what should stay apart: %+v", r.Incidents)
				}
				return
			}
			if len(r.Incidents) != 1 {
				t.Fatalf("%d incidents, want 1: %+v", len(r.Incidents), r.Incidents)
			}
			in := r.Incidents[0]
			if got := strings.Join(sourcesSeen(in), ","); got != strings.Join(tt.sources, ",") {
				t.Errorf("sources %s, want %s", got, strings.Join(tt.sources, ","))
			}
			if len(in.Sources) != len(tt.sources) {
				t.Errorf("%d source entries, want one per source: %+v", len(in.Sources), in.Sources)
			}
			if in.Code != "0x800423f2" || in.Writer != "System Writer" || in.Time != tt.time {
				t.Errorf("incident %s %s %s, want 0x800423f2 System Writer %s", in.Code, in.Writer, in.Time, tt.time)
			}
			if !strings.Contains(in.OffsetNote, tt.note) {
				t.Errorf("offset note %q lacks %q", in.OffsetNote, tt.note)
			}
			if in.Diagnosis < 0 || r.Diagnoses[in.Diagnosis].Code != "0x800423f2" {
				t.Errorf("workaround from diagnosis %d", in.Diagnosis)
			}
			for _, s := range in.Sources {
				if strings.Contains(s.Source, "decoy") && s.Line == 2 {
					t.Errorf("decoy joined: %+v", s)
				}
			}
			checkTimeline(t, r)
		})
	}
}

// checkTimeline checks the case's story: VssStart first, the failure and
// the exit code on the task log's clock, in time order.
func checkTimeline(t *testing.T, r *knowledge.Report) {
	t.Helper()
	tl := r.Timeline
	if tl == nil || len(tl.Entries) < 3 {
		t.Fatalf("timeline %+v", tl)
	}
	// VssStart comes before every moment of the incident (a decoy hours
	// earlier may come first).
	start := slices.IndexFunc(tl.Entries, func(e incident.TimelineEntry) bool { return e.What == "VssStart()" })
	if first := slices.IndexFunc(tl.Entries, func(e incident.TimelineEntry) bool { return e.Incident > 0 }); start < 0 || first < start {
		t.Errorf("VssStart at %d, the incident's first moment at %d: %+v", start, first, tl.Entries)
	}
	var whats []string
	for i, e := range tl.Entries {
		whats = append(whats, e.What)
		if i > 0 && e.Time < tl.Entries[i-1].Time {
			t.Errorf("timeline out of order at %+v", e)
		}
	}
	all := strings.Join(whats, "\n")
	for _, want := range []string{"VSS 8229", "-311", "VSS_WS_FAILED_AT_FREEZE"} {
		if !strings.Contains(all, want) {
			t.Errorf("timeline lacks %s:\n%s", want, all)
		}
	}
}

// The shape of the held-out check: one zip, a task log in UTC and an Event
// Viewer export in JST of the same failure.
func TestIncidentInZip(t *testing.T) {
	b := loadBase(t)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"logs/task-utc.log", "eventlogs/application-jst.txt"} {
		data, err := os.ReadFile(filepath.Join(storyDir, filepath.Base(n)))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(n)
		w.Write(data)
	}
	zw.Close()
	res, err := parse.New(b, parse.Limits{}).Parse(context.Background(), "case.zip", &buf)
	if err != nil {
		t.Fatal(err)
	}
	r := b.Diagnose(res, lang.English)
	if len(r.Incidents) != 1 {
		t.Fatalf("%d incidents: %+v", len(r.Incidents), r.Incidents)
	}
	in := r.Incidents[0]
	want := "case.zip:logs/task-utc.log,case.zip:eventlogs/application-jst.txt"
	if got := strings.Join(sourcesSeen(in), ","); got != want {
		t.Errorf("sources %s, want %s", got, want)
	}
	if !strings.Contains(in.OffsetNote, "9 h ahead") {
		t.Errorf("offset note %q", in.OffsetNote)
	}
	// The offset is against the first source (named), which has none; the
	// zone of the JST export is the one the alignment inferred.
	if in.Sources[0].Offset != "" || in.Sources[0].Zone != "UTC" || in.Sources[1].Offset != "+09:00" ||
		in.Sources[1].OffsetFrom != in.Sources[0].Source || in.Sources[1].Zone != "+09:00" || in.Sources[1].Line != 3 ||
		in.Sources[1].Time != "2026-11-28T13:40:44.000+09:00" {
		t.Errorf("sources %+v", in.Sources)
	}
	js, _ := json.Marshal(r)
	var contract struct {
		Incidents []struct {
			Code, Writer, Time string
			OffsetNote         string `json:"offset_note"`
			Sources            []struct {
				Source, Time string
				Line         int
			}
		} `json:"incidents"`
	}
	if err := json.Unmarshal(js, &contract); err != nil || len(contract.Incidents) != 1 || len(contract.Incidents[0].Sources) != 2 ||
		contract.Incidents[0].OffsetNote == "" || contract.Incidents[0].Sources[1].Line == 0 {
		t.Errorf("JSON contract %s (%v)", js, err)
	}
}

// Clocks more than a time-zone apart (a vssadmin run a week later) never
// align, even on the same code and writer.
func TestIncidentsNotAcrossDays(t *testing.T) {
	b := loadBase(t)
	res := &parse.Result{
		Inputs: []parse.Input{{Source: "1.log", Format: "aip"}, {Source: "writers.txt", Format: "vssadmin"}},
		Findings: []parse.Finding{
			{Kind: parse.KindWriterFailure, Code: "0x800423f2", Writer: "System Writer", State: 9, Source: "1.log", Line: 6, Time: "2026-11-28T04:40:43.957", Zone: "unknown", Count: 2},
		},
		Sightings: []parse.Sighting{
			{Finding: 0, Source: "1.log", Line: 6, Time: "2026-11-28T04:40:43.957", Zone: "unknown"},
			{Finding: 0, Source: "writers.txt", Line: 11, Time: "2026-12-05T04:40:43.957", Zone: "unknown"},
			{Finding: 0, Source: "writers.txt", Line: 11, Time: "2026-11-29T04:40:43.957", Zone: "unknown"},
		},
	}
	if r := b.Diagnose(res, lang.English); len(r.Incidents) != 0 {
		t.Errorf("joined across days: %+v", r.Incidents)
	}
	res.Sightings[2].Time = "2026-11-28T04:42:50.000" // two minutes late on the same clock
	if r := b.Diagnose(res, lang.English); len(r.Incidents) != 1 || r.Incidents[0].OffsetNote != "" {
		t.Errorf("same clock, two minutes apart: %+v", r.Incidents)
	}
	res.Sightings[2].Time = "2026-11-28T07:42:50.000" // three hours and two minutes: no zone explains it
	if r := b.Diagnose(res, lang.English); len(r.Incidents) != 0 {
		t.Errorf("joined 3 h 2 min apart: %+v", r.Incidents)
	}
	res.Sightings[2].Time = "2026-11-28T05:10:44.000" // half an hour: a zone difference
	r := b.Diagnose(res, lang.English)
	if len(r.Incidents) != 1 || !strings.Contains(r.Incidents[0].OffsetNote, "30 min ahead") {
		t.Errorf("half-hour offset: %+v", r.Incidents)
	}
}

// FuzzIncidents diagnoses two arbitrary inputs together: incidents always
// join at least two sources, and point at a real diagnosis.
func FuzzIncidents(f *testing.F) {
	for _, pair := range [][2]string{{"task-utc.log", "application-jst.txt"}, {"task-jst.log", "application.xml"}} {
		a, _ := os.ReadFile(filepath.Join(storyDir, pair[0]))
		c, _ := os.ReadFile(filepath.Join(storyDir, pair[1]))
		f.Add(a, c)
	}
	b := loadBase(f)
	p := parse.New(b, parse.Limits{})
	f.Fuzz(func(t *testing.T, x, y []byte) {
		rx, _ := p.Parse(context.Background(), "x.log", bytes.NewReader(x))
		ry, _ := p.Parse(context.Background(), "y.txt", bytes.NewReader(y))
		r := b.Diagnose(parse.Merge(rx, ry), lang.English)
		for _, in := range r.Incidents {
			if len(sourcesSeen(in)) < 2 || in.Diagnosis >= len(r.Diagnoses) || in.Summary == "" {
				t.Fatalf("bad incident %+v", in)
			}
		}
		if r.Timeline != nil && len(r.Incidents) == 0 {
			t.Fatal("a timeline without incidents")
		}
	})
}

// A task log and the binary Application.evtx of the same failure: the
// record's SystemTime is UTC, so the task log's zone is inferred.
func TestIncidentWithEVTX(t *testing.T) {
	b := loadBase(t)
	ev := func(at time.Time, id uint16, code string) evtxtest.Event {
		return evtxtest.Event{Provider: "VSS", EventID: id, Level: 3, Keywords: 0x80000000000000, Channel: "Application", Computer: "SRV01", Time: at,
			Data: []evtxtest.Data{
				{Value: code + ", The writer's timeout expired between the Freeze and Thaw events.\n"},
				{Value: "\n\nOperation:\n   Freeze Event\n\nContext:\n   Execution Context: Writer\n   Writer Class Id: {e8132975-6f93-4464-a53e-1050253ae220}\n   Writer Name: System Writer\n   Writer Instance ID: {ab13e0da-0a8b-48c4-ab4f-eabe2b3d01fe}"},
			}}
	}
	file := evtxtest.File(
		ev(time.Date(2026, 11, 28, 1, 12, 9, 0, time.UTC), 8229, "0x800423f2"), // a decoy hours before
		ev(time.Date(2026, 11, 28, 4, 40, 44, 102e6, time.UTC), 8229, "0x800423f2"),
	)
	p := parse.New(b, parse.Limits{})
	task, err := os.ReadFile(filepath.Join(storyDir, "task-jst.log"))
	if err != nil {
		t.Fatal(err)
	}
	rt, _ := p.Parse(context.Background(), "1764337070.log", bytes.NewReader(task))
	re, err := p.Parse(context.Background(), "Application.evtx", bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	r := b.Diagnose(parse.Merge(rt, re), lang.English)
	if len(r.Incidents) != 1 {
		t.Fatalf("%d incidents: %+v", len(r.Incidents), r.Incidents)
	}
	in := r.Incidents[0]
	if got := strings.Join(sourcesSeen(in), ","); got != "1764337070.log,Application.evtx" {
		t.Errorf("sources %s", got)
	}
	for _, want := range []string{"The event log (Application.evtx) is 9 h behind the task log (1764337070.log)", "UTC+09:00"} {
		if !strings.Contains(in.OffsetNote, want) {
			t.Errorf("offset note %q lacks %q", in.OffsetNote, want)
		}
	}
	if in.Time != "2026-11-28T13:40:43.957+09:00" {
		t.Errorf("time %s", in.Time)
	}
	for _, s := range in.Sources {
		if s.Source == "Application.evtx" && s.Time != "2026-11-28T04:40:44.102Z" {
			t.Errorf("evtx sighting %+v", s)
		}
	}
}

// BenchmarkIncidents weighs the worst bundle the bounds allow: twenty
// sources whose sightings all share a code and a writer, so every pair
// of sightings is compared when the clocks are aligned.
func BenchmarkIncidents(b *testing.B) {
	kb := loadBase(b)
	res := &parse.Result{}
	base := time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC)
	for s := range 20 {
		src := "bundle.zip:logs/" + strconv.Itoa(s) + ".log"
		res.Inputs = append(res.Inputs, parse.Input{Source: src, Format: "aip"})
		res.Findings = append(res.Findings, parse.Finding{Kind: parse.KindWriterFailure, Code: "0x800423f2", Writer: "System Writer",
			State: 9, Source: src, Line: 1, Time: base.Format("2006-01-02T15:04:05.000"), Zone: "unknown", Count: 100})
		for i := range 100 {
			at := base.Add(time.Duration(s)*time.Hour + time.Duration(i)*37*time.Second)
			res.Sightings = append(res.Sightings, parse.Sighting{Finding: s, Source: src, Line: i + 1,
				Time: at.Format("2006-01-02T15:04:05.000"), Zone: "unknown"})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		kb.Diagnose(res, lang.English)
	}
}

// A decoy of the same event hours before the real one, first in its file:
// the incident stands on the real event's line and time, the decoy keeps a
// finding of its own at its own time, and the timeline tells both.
func TestDecoyKeepsItsOwnTime(t *testing.T) {
	b := loadBase(t)
	r := diagnoseFiles(t, b, lang.English, "task-utc.log", "application-decoy-jst.txt")
	if len(r.Incidents) != 1 {
		t.Fatalf("%d incidents: %+v", len(r.Incidents), r.Incidents)
	}
	for _, s := range r.Incidents[0].Sources {
		if s.Source == "application-decoy-jst.txt" && (s.Line != 4 || !strings.HasPrefix(s.Time, "2026-11-28T13:40:44")) {
			t.Errorf("the incident stands on %+v, want line 4 at 13:40:44", s)
		}
	}
	events := map[int]string{} // line -> time of the 8229 findings
	var at []int
	for i, f := range r.Findings {
		if f.Kind == parse.KindEvent && f.Event == 8229 {
			events[f.Line] = f.Time
			at = append(at, i)
			if f.Count != 1 {
				t.Errorf("8229 at line %d counts %d: the other sighting folded in", f.Line, f.Count)
			}
		}
	}
	if !strings.HasPrefix(events[4], "2026-11-28T13:40:44") || !strings.HasPrefix(events[2], "2026-11-28T10:12:07") || len(events) != 2 {
		t.Errorf("8229 findings by line %v, want line 2 at 10:12:07 and line 4 at 13:40:44", events)
	}
	for _, d := range r.Diagnoses {
		if slices.Contains(d.Findings, at[0]) != slices.Contains(d.Findings, at[len(at)-1]) {
			t.Errorf("diagnosis %s explains one sighting of 8229 and not the other: %v", d.Code, d.Findings)
		}
	}
	times := map[int]incident.TimelineEntry{}
	for _, e := range r.Timeline.Entries {
		if e.Source == "application-decoy-jst.txt" {
			times[e.Line] = e
		}
	}
	if e := times[4]; e.Incident != 1 || !strings.HasPrefix(e.Time, "2026-11-28T04:40:44") {
		t.Errorf("the joined event in the timeline: %+v", e)
	}
	if e := times[2]; e.Incident != 0 || !strings.HasPrefix(e.Time, "2026-11-28T01:12:07") || !strings.Contains(e.What, "not part of the incident") {
		t.Errorf("the decoy in the timeline: %+v", e)
	}
}

// Every time of a report says its clock when known: Z for UTC, the
// written or inferred offset otherwise; a bare time only when the zone is
// unknown; and no source gives a zone that its offset contradicts.
func TestTimesCarryTheirOffset(t *testing.T) {
	b := loadBase(t)
	tests := []struct {
		files []string
		want  map[string]string // finding source -> suffix of its time
	}{
		{[]string{"task-utc.log", "application-jst.txt"}, map[string]string{"task-utc.log": "Z", "application-jst.txt": "+09:00"}},
		{[]string{"task-jst.log", "application.xml"}, map[string]string{"task-jst.log": "+09:00", "application.xml": "Z"}},
		{[]string{"application-jst.txt"}, map[string]string{"application-jst.txt": ".000"}}, // alone: local, offset unknown
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.files, "+"), func(t *testing.T) {
			r := diagnoseFiles(t, b, lang.English, tt.files...)
			for _, f := range r.Findings {
				if suffix, ok := tt.want[f.Source]; ok && f.Time != "" && !strings.HasSuffix(f.Time, suffix) {
					t.Errorf("%s:%d time %q (zone %s), want it to end in %s", f.Source, f.Line, f.Time, f.Zone, suffix)
				}
				if f.Zone == parse.ZoneUTC && f.Time != "" && !strings.HasSuffix(f.Time, "Z") {
					t.Errorf("UTC time without Z: %+v", f)
				}
			}
			for _, in := range r.Incidents {
				for i, s := range in.Sources {
					if (i == 0) != (s.Offset == "") || s.Offset != "" && s.OffsetFrom != in.Sources[0].Source {
						t.Errorf("source %d offset %q from %q", i, s.Offset, s.OffsetFrom)
					}
					if _, known := incident.ZoneOffset(s.Zone); known != strings.ContainsAny(s.Time[19:], "Z+-") {
						t.Errorf("zone %q beside time %q", s.Zone, s.Time)
					}
				}
			}
		})
	}
}
