package parse

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"
)

// TestXMLFieldsMatchRegexps checks the plain searches of xmlrec.go against
// the regular expressions they replaced, on record lines, damaged ones and
// random text made of XML's pieces.
func TestXMLFieldsMatchRegexps(t *testing.T) {
	var (
		startRe  = regexp.MustCompile(`<Event[\s>]`)
		provRe   = regexp.MustCompile(`<Provider\s[^>]*Name=['"]([^'"]+)['"]`)
		idRe     = regexp.MustCompile(`<EventID[^>]*>\s*(\d+)\s*</EventID>`)
		timeRe   = regexp.MustCompile(`SystemTime=['"]([^'"]+)['"]`)
		recordRe = regexp.MustCompile(`<EventRecordID>\s*(\d+)\s*</EventRecordID>`)
		levelRe  = regexp.MustCompile(`<Level>\s*(\d)\s*</Level>`)
	)
	inputs := []string{
		`<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='VSS' EventSourceName='VSS Src'/><EventID Qualifiers='0'>8193</EventID><Level>2</Level><TimeCreated SystemTime='2026-11-27T02:23:12.000Z'/><EventRecordID>42</EventRecordID></System></Event>`,
		`<Events><Event><System><Provider Name="a>b"/><EventID> 12 </EventID><Level>12</Level><Level> 3 </Level></System></Event>`,
		`<EventData><Provider/><Provider Name=''/><Provider x Name='ok'><EventID>x</EventID><EventID>7</EventID></Provider>`,
		`<Eventx><Event	a><EventRecordID>9</EventRecordID ><EventRecordID>10</EventRecordID>SystemTime=''SystemTime="t"`,
		`<Provider	Name='tab'`, `<Provider Name='unterminated`, `<EventID`, `<EventID>`, `<Level>`, `SystemTime=`, ``,
	}
	pieces := []string{"<Event", "<Provider", " ", "\t", "Name=", "EventSourceName=", "'", `"`, ">", "<EventID", "</EventID>",
		"<Level>", "</Level>", "<EventRecordID>", "</EventRecordID>", "SystemTime=", "7", "42", "x", "\n", "/>",
		"<Provider Name='VSS'", "<Provider Name='a' EventSourceName='b'/>", "<EventID Qualifiers='0'>", "<EventID>8193",
		"SystemTime='2026-11-27T02:23:12Z'", "<Level>2", "<EventRecordID>42"}
	seed := uint32(7)
	for range 20000 {
		var b []byte
		n := 1 + int(seed%8)
		for range n {
			seed = seed*1664525 + 1013904223
			b = append(b, pieces[int(seed>>16)%len(pieces)]...)
		}
		inputs = append(inputs, string(b))
	}
	sub := func(re *regexp.Regexp, b []byte) []byte {
		if m := re.FindSubmatch(b); m != nil {
			return m[1]
		}
		return nil
	}
	for _, in := range inputs {
		b := []byte(in)
		want := -1
		if loc := startRe.FindIndex(b); loc != nil {
			want = loc[0]
		}
		if got := xmlStart(b); got != want {
			t.Fatalf("xmlStart(%q) = %d, want %d", in, got, want)
		}
		checks := []struct {
			name      string
			got, want []byte
		}{
			{"provider", xmlProvider(b), sub(provRe, b)},
			{"id", xmlNumber(b, "<EventID", "</EventID>", true, 0), sub(idRe, b)},
			{"time", xmlAttr(b, "SystemTime="), sub(timeRe, b)},
			{"record", xmlNumber(b, "<EventRecordID", "</EventRecordID>", false, 0), sub(recordRe, b)},
			{"level", xmlNumber(b, "<Level", "</Level>", false, 1), sub(levelRe, b)},
		}
		for _, c := range checks {
			if !bytes.Equal(c.got, c.want) || (c.got == nil) != (c.want == nil) {
				t.Fatalf("%s of %q = %q, want %q", c.name, in, c.got, c.want)
			}
		}
	}
}

func TestXMLUnescape(t *testing.T) {
	for in, want := range map[string]string{
		"Writer Name: System Writer&#xD;&#xA;   Writer Instance":   "Writer Name: System Writer\r\n   Writer Instance",
		"a &lt;b&gt; &amp; &apos;c&apos; &quot;d&quot; &#13;&#10;": "a <b> & 'c' \"d\" \r\n",
		"&#x3042; &#12354;":      "あ あ",
		"& alone; &unknown; &#;": "& alone; &unknown; &#;",
		"&#xZZ; &#99999999999;":  "&#xZZ; &#99999999999;",
		"tail &":                 "tail &",
	} {
		if got := string(xmlUnescape(nil, []byte(in))); got != want {
			t.Errorf("xmlUnescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRecordNumber(t *testing.T) {
	for _, s := range []string{"0", "42", "9223372036854775807", "9223372036854775808", "99999999999999999999"} {
		want, _ := strconv.ParseInt(s, 10, 64)
		if got := recordNumber([]byte(s)); got != want {
			t.Errorf("recordNumber(%s) = %d, want %d", s, got, want)
		}
	}
}

// TestXMLEnds checks xmlEnds against two plain searches: the first
// "</Event>", and the first "</System>" before it.
func TestXMLEnds(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	parts := []string{"</System>", "</Event>", "</Sys", "</", "<", "/", "System>", "Event>", "<Data>x</Data>", " text "}
	for range 20000 {
		var b []byte
		for range rng.IntN(8) {
			b = append(b, parts[rng.IntN(len(parts))]...)
		}
		wantEnd := bytes.Index(b, []byte("</Event>"))
		piece := b
		if wantEnd >= 0 {
			piece = b[:wantEnd]
		}
		wantSys := bytes.Index(piece, []byte("</System>"))
		if sys, end := xmlEnds(b); sys != wantSys || end != wantEnd {
			t.Fatalf("%q: got %d, %d, want %d, %d", b, sys, end, wantSys, wantEnd)
		}
	}
}
