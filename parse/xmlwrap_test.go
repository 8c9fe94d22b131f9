package parse

import (
	"context"
	"strings"
	"testing"
)

// TestXMLWrappedCode: a code that a console wrapped inside the Data of a
// rendered XML record is joined, as in every text layout, whether the
// record's source is VSS or another (Hyper-V-VMMS), and a record's end
// stops it.
func TestXMLWrappedCode(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	record := func(provider, id, data string) string {
		return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='" + provider + "'/>" +
			"<EventID Qualifiers='0'>" + id + "</EventID><Level>2</Level><TimeCreated SystemTime='2026-11-26T04:40:07.7900000Z'/></System>" +
			"<EventData><Data>" + data + "</Data></EventData></Event>\n"
	}
	tests := []struct {
		name, in string
		event    int
		code     string
	}{
		{"other source", record("Microsoft-Windows-Hyper-V-VMMS", "18016",
			"Could not create backup checkpoint for virtual machine 'VM01': The writer's timeout expired. (0x8004\n23F2)."), 18016, "0x800423f2"},
		{"VSS", record("VSS", "8229", "A VSS writer has rejected an event with error 0x8004\n23f2, The writer's timeout expired."), 8229, "0x800423f2"},
		{"cut by the record's end", record("VSS", "8229", "error 0x8004") + "23f2 is the next line\n", 8229, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := p.Parse(context.Background(), "x", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Findings {
				if f.Kind == KindEvent && f.Event == tt.event {
					if f.Code != tt.code {
						t.Errorf("event %d has code %q, want %q", f.Event, f.Code, tt.code)
					}
					return
				}
			}
			t.Errorf("no event %d; findings %+v", tt.event, res.Findings)
		})
	}
}

// TestXMLOtherSourceHeader: a record of another source is evidence only
// when its text speaks of VSS or a writer; its System header (a computer
// named VSSHOST) does not count as its text.
func TestXMLOtherSourceHeader(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	record := func(computer, data string) string {
		return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='MSExchangeIS'/>" +
			"<EventID Qualifiers='0'>9840</EventID><Level>2</Level><TimeCreated SystemTime='2026-11-26T04:40:07.7900000Z'/>" +
			"<EventRecordID>4711</EventRecordID><Computer>" + computer + "</Computer></System>" +
			"<EventData><Data>" + data + "</Data></EventData></Event>\n"
	}
	tests := []struct {
		name, in string
		found    bool
	}{
		{"writer in the text", record("MAIL01", "The Exchange writer failed to prepare the backup: 0x80070005."), true},
		{"VSS only in the header", record("VSSHOST01", "The store could not open a file: 0x80070005."), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := p.Parse(context.Background(), "x", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range res.Findings {
				if f.Kind == KindEvent && f.Event == 9840 {
					found = true
					// The header of a record of another source is read once
					// its text made it evidence: all of it.
					if f.Record != 4711 || f.Time == "" || f.Code != "0x80070005" {
						t.Errorf("record %d, time %q, code %q; want 4711, a time, 0x80070005", f.Record, f.Time, f.Code)
					}
				}
			}
			if found != tt.found {
				t.Errorf("event 9840 found %v, want %v; findings %+v", found, tt.found, res.Findings)
			}
		})
	}
}
