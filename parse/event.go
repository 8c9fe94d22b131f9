package parse

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// maxEventLines bounds how many lines one event record may span.
const maxEventLines = 200

// eventRec is an event log record being read. Its message is never kept:
// the code and writer it names are picked up line by line.
type eventRec struct {
	f     Finding
	msg   bool // inside the description/message
	xml   bool
	quote bool // inside a quoted multi-line CSV/text message
	lines int
}

var (
	wevtStartRe = regexp.MustCompile(`^Event\[\d+\]:\s*$`)
	kvRe        = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z ]{0,30}?|ログの名前|ソース|日付|イベント ID|説明|レベル)\s*:\s*(.*)$`)
	rowDateRe   = regexp.MustCompile(`^\s*(\d{1,4}[/-]\d{1,2}[/-]\d{1,4}[ T]\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?:\s*[AP]M)?)\s+(\d{1,5})\s+(\S+)\s*(.*)$`)
	xmlStartRe  = regexp.MustCompile(`<Event[\s>]`)
	xmlProvRe   = regexp.MustCompile(`<Provider\s[^>]*Name=['"]([^'"]+)['"]`)
	xmlIDRe     = regexp.MustCompile(`<EventID[^>]*>\s*(\d+)\s*</EventID>`)
	xmlTimeRe   = regexp.MustCompile(`SystemTime=['"]([^'"]+)['"]`)
	xmlRecordRe = regexp.MustCompile(`<EventRecordID>\s*(\d+)\s*</EventRecordID>`)
	msgWriterRe = regexp.MustCompile(`(?i)(?:writer name|ライター名)\s*:\s*\[?'?([^\]'\r\n]+?)'?\]?\s*(?:$|[,.;])`)
	msgWIDRe    = regexp.MustCompile(`(?i)writer (?:class )?id\s*:\s*(\{[0-9a-f-]{36}\})`)
)

// levels are the Level column values of Event Viewer exports.
var levels = map[string]bool{
	"error": true, "warning": true, "information": true, "critical": true, "verbose": true,
	"エラー": true, "警告": true, "情報": true, "重大": true,
}

// startEvent opens an event record (or reads a one-line one).
func (t *textReader) startEvent(b []byte) bool {
	s := string(b)
	switch {
	case xmlStartRe.MatchString(s) || strings.Contains(s, "<Provider "):
		t.openEvent(true)
		t.xmlLine(b)
		return true
	case wevtStartRe.MatchString(strings.TrimSpace(s)):
		t.openEvent(false)
		return true
	}
	if m := kvRe.FindStringSubmatch(s); m != nil {
		switch normKey(m[1]) {
		case "log name", "ログの名前", "timecreated":
			t.openEvent(false)
			t.eventField(normKey(m[1]), m[2])
			return true
		case "providername":
			t.provider = strings.TrimSpace(m[2])
			t.openEvent(false)
			t.eventField("providername", m[2])
			return true
		}
	}
	return t.eventRow(s)
}

func (t *textReader) openEvent(xml bool) {
	t.closeEvent()
	t.setFormat("eventlog")
	t.ev = &eventRec{f: Finding{Kind: KindEvent, State: -1, Line: t.line, Source: t.source}, xml: xml}
}

// eventRow reads the one-line forms: Event Viewer CSV and tab-separated
// text ("Level, Date and Time, Source, Event ID, Task Category, message")
// and Get-WinEvent's table rows under a "ProviderName: X" group header.
func (t *textReader) eventRow(s string) bool {
	sep := "\t"
	if !strings.Contains(s, sep) {
		sep = ","
	}
	if f := strings.SplitN(s, sep, 6); len(f) >= 5 && levels[strings.ToLower(unquote(f[0]))] {
		id := atoi(unquote(f[3]))
		if id <= 0 {
			return false
		}
		t.openEvent(false)
		t.ev.f.Time, t.ev.f.Zone = parseDate(unquote(f[1]))
		t.ev.f.Provider = unquote(f[2])
		t.ev.f.Event = id
		t.ev.msg = true
		if len(f) == 6 {
			t.eventMessage(f[5])
			t.ev.quote = strings.HasPrefix(strings.TrimSpace(f[5]), `"`) && strings.Count(f[5], `"`)%2 == 1
		}
		if !t.ev.quote {
			t.closeEvent()
		}
		return true
	}
	if t.provider == "" {
		return false
	}
	m := rowDateRe.FindStringSubmatch(s)
	if m == nil || !levels[strings.ToLower(m[3])] {
		return false
	}
	t.openEvent(false)
	t.ev.f.Time, t.ev.f.Zone = parseDate(m[1])
	t.ev.f.Provider = t.provider
	t.ev.f.Event = atoi(m[2])
	t.eventMessage(m[4])
	t.closeEvent()
	return true
}

// eventLine reads a line inside an open record; false hands the line back
// to the other recognisers after the record is closed.
func (t *textReader) eventLine(b []byte) bool {
	ev := t.ev
	ev.lines++
	s := string(b)
	switch {
	case ev.lines > maxEventLines:
		t.closeEvent()
		return false
	case ev.xml:
		t.xmlLine(b)
		return true
	case ev.quote:
		t.eventMessage(s)
		if strings.Count(s, `"`)%2 == 1 {
			t.closeEvent()
		}
		return true
	case wevtStartRe.MatchString(strings.TrimSpace(s)) || xmlStartRe.MatchString(s):
		t.closeEvent()
		return false
	case t.provider != "" && ev.f.Event == 0 && rowDateRe.MatchString(s):
		t.closeEvent() // a group header's record: the rows follow
		return false
	}
	if m := kvRe.FindStringSubmatch(s); m != nil {
		k := normKey(m[1])
		switch {
		case (k == "log name" || k == "ログの名前" || k == "timecreated") && (ev.msg || ev.f.Event != 0 || ev.f.Provider != ""):
			t.closeEvent()
			return false
		case !ev.msg:
			t.eventField(k, m[2])
			return true
		}
	}
	if ev.msg {
		t.eventMessage(s)
	}
	return true
}

// eventField stores one "Key: value" field of a record's header.
func (t *textReader) eventField(k, v string) {
	f := &t.ev.f
	v = strings.TrimSpace(v)
	switch k {
	case "source", "providername", "ソース":
		f.Provider = v
	case "date", "timecreated", "日付":
		f.Time, f.Zone = parseDate(v)
	case "event id", "id", "イベント id":
		f.Event = atoi(v)
	case "description", "message", "説明":
		t.ev.msg = true
		t.eventMessage(v)
	}
}

// eventMessage picks the first code and writer out of a message line.
func (t *textReader) eventMessage(s string) {
	f := &t.ev.f
	if f.Code == "" {
		t.eventCode([]byte(s))
	}
	if f.Writer == "" {
		if m := msgWriterRe.FindStringSubmatch(s); m != nil {
			f.Writer = strings.TrimSpace(m[1])
		} else {
			lower := appendLower(nil, []byte(s))
			for _, w := range t.p.writers {
				if indexWord(lower, w.lower) >= 0 {
					f.Writer = w.name
					break
				}
			}
		}
	}
	if f.WriterID == "" {
		if m := msgWIDRe.FindStringSubmatch(s); m != nil {
			f.WriterID = strings.ToLower(m[1])
		}
	}
}

// eventCode sets the record's code from the first HRESULT of b.
func (t *textReader) eventCode(b []byte) {
	for i := 0; i < len(b); {
		j := indexHexPrefix(b[i:])
		if j < 0 {
			return
		}
		at := i + j
		i = at + 2
		if v, ok := firstHex(string(b[at:])); ok && (at == 0 || !isWord(b[at-1])) {
			if kind, name, ok := t.p.classify(v, precededByIntro(b[:at])); ok && kind != "" {
				t.ev.f.Code, t.ev.f.Name = canon(v), name
				return
			}
		}
	}
}

// xmlLine reads rendered event XML; one line may hold several events.
func (t *textReader) xmlLine(b []byte) {
	for len(b) > 0 {
		if t.ev == nil {
			loc := xmlStartRe.FindIndex(b)
			if loc == nil {
				return
			}
			t.openEvent(true)
			b = b[loc[0]:]
		}
		piece := b
		i := bytes.Index(b, []byte("</Event>"))
		if i >= 0 {
			piece, b = b[:i], b[i+len("</Event>"):]
		} else {
			b = nil
		}
		f := &t.ev.f
		if m := xmlProvRe.FindSubmatch(piece); m != nil {
			f.Provider = string(m[1])
		}
		if m := xmlIDRe.FindSubmatch(piece); m != nil {
			f.Event = atoi(string(m[1]))
		}
		if m := xmlTimeRe.FindSubmatch(piece); m != nil {
			// SystemTime is UTC whether or not it says so.
			if f.Time, f.Zone = parseDate(string(m[1])); f.Zone == ZoneLocal {
				f.Zone = ZoneUTC
			}
		}
		if m := xmlRecordRe.FindSubmatch(piece); m != nil {
			f.Record, _ = strconv.ParseInt(string(m[1]), 10, 64)
		}
		t.eventMessage(string(piece))
		if i >= 0 {
			t.closeEvent()
		}
	}
}

// closeEvent turns a record from a VSS, VolSnap or backup source into a
// finding; records of other sources are dropped.
func (t *textReader) closeEvent() {
	ev := t.ev
	if ev == nil {
		return
	}
	t.ev = nil
	f := ev.f
	if f.Event <= 0 || !relevantProvider(f.Provider) {
		return
	}
	f.Provider = normProvider(f.Provider)
	if f.Writer == "" && f.WriterID != "" {
		f.Writer, _ = t.p.vocab.WriterByID(f.WriterID)
	}
	ts := t.ts
	t.ts = f.Time
	t.add(f)
	t.ts = ts
}

func relevantProvider(p string) bool {
	l := strings.ToLower(p)
	for _, w := range []string{"vss", "volsnap", "backup", "activeimage", "shadow"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func normProvider(p string) string {
	switch strings.ToLower(p) {
	case "vss":
		return "VSS"
	case "volsnap":
		return "VolSnap"
	}
	return p
}

func normKey(k string) string {
	return strings.ToLower(strings.Join(strings.Fields(k), " "))
}

func unquote(s string) string {
	return strings.Trim(strings.TrimSpace(s), `"`)
}
