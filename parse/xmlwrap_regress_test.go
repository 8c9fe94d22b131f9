package parse

import (
	"context"
	"strings"
	"testing"
)

// TestXMLWrappedCodeOtherSource: a code of the VSS range that a console
// wrapped inside the Data of a Hyper-V-VMMS record is joined in every
// text layout (Event Viewer text, CSV, Format-List, wevtutil text), and
// was in rendered XML too at 60ae867; since the XML reader reads each
// line's piece "as text of its own" it is lost there.
func TestXMLWrappedCodeOtherSource(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	in := "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Hyper-V-VMMS'/>" +
		"<EventID Qualifiers='0'>18016</EventID><Level>2</Level><TimeCreated SystemTime='2026-11-26T04:40:07.7900000Z'/></System>" +
		"<EventData><Data>Could not create backup checkpoint for virtual machine 'VM01': The writer's timeout expired. (0x8004\n" +
		"23F2).</Data></EventData></Event>\n"
	res, err := p.Parse(context.Background(), "x", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Kind == KindEvent && f.Event == 18016 && f.Code == "0x800423f2" {
			return
		}
	}
	t.Errorf("no Hyper-V-VMMS 18016 event with 0x800423f2; findings %+v", res.Findings)
}
