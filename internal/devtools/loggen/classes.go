package loggen

import (
	"strconv"
	"strings"
	"time"
)

// aipFailure is the failed-writer block of an AIP task log, after the
// lines that lead to it.
func (g *gen) aipFailure(b []byte) []byte {
	b = append(g.stamp(b), "VssStart()\n"...)
	b = append(g.stamp(b), "com exception caught(0x8000ffff) in VssStart\n"...)
	b = append(g.stamp(b), "[07/13/2017 13:40:43.787] OUTPUT:\n"...)
	b = append(b, `ERROR: Selected writer 'System Writer' is in failed state!
- Status: 9 (VSS_WS_FAILED_AT_FREEZE)
- Writer Failure code: 0x800423f2 (<Unknown error code>)
- Writer ID: {e8132975-6f93-4464-a53e-1050253ae220}
- Instance ID: {ab13e0da-0a8b-48c4-ab4f-eabe2b3d01fe}
`...)
	return append(g.stamp(b), "Backup task finished. Exit Code -311\n"...)
}

// filler appends one routine progress line.
func (g *gen) filler(b []byte) []byte {
	b = g.stamp(b)
	r := g.rand()
	blk := int64(r % 3906250)
	switch r % 7 {
	case 0:
		b = append(b, "Read cluster run lcn="...)
		b = strconv.AppendInt(b, blk*16, 10)
		b = append(b, " length="...)
		b = strconv.AppendInt(b, int64(r%4096+1), 10)
	case 1:
		b = append(b, "Compressed block "...)
		b = strconv.AppendInt(b, blk, 10)
		b = append(b, " ratio 1."...)
		b = strconv.AppendInt(b, int64(r%90+10), 10)
	case 2:
		b = append(b, "Progress "...)
		b = strconv.AppendInt(b, int64(r%100), 10)
		b = append(b, "% , 412 MB/s, elapsed "...)
		b = strconv.AppendInt(b, int64(r%3600), 10)
		b = append(b, " s"...)
	case 3:
		b = append(b, "Verified block "...)
		b = strconv.AppendInt(b, blk, 10)
		b = append(b, " (crc ok)"...)
	default:
		b = append(b, "Backup block "...)
		b = strconv.AppendInt(b, blk, 10)
		b = append(b, "/3906250 stored (65536 bytes, dedup "...)
		b = strconv.AppendInt(b, int64(r%64), 10)
		b = append(b, " KB)"...)
	}
	return append(b, '\n')
}

// volumes are the volume GUIDs of the task-log class: a server has few.
var volumes = []string{
	`\\?\Volume{3f1c2d9a-5b7e-4c1a-9f3e-0a1b2c3d4e5f}\`,
	`\\?\Volume{b7e2a4c1-09d3-11e7-80c1-806e6f6e6963}\`,
	`\\?\Volume{0c9a7e55-1d2b-4f60-8e3a-6b5d4c3b2a19}\`,
}

// taskHex appends one line of an imaging task's I/O trace: hex offsets,
// a checksum and a volume GUID path on every line.
func (g *gen) taskHex(b []byte) []byte {
	b = g.stamp(b)
	r := g.rand()
	vol := volumes[r%uint64(len(volumes))]
	off := (r % 0x3ffffff) << 12
	switch r % 5 {
	case 0:
		b = append(b, "Read extent offset "...)
		b = hex16(b, off)
		b = append(b, " length "...)
		b = hex16(b, (r%256+1)<<12)
		b = append(b, " on "...)
		b = append(b, vol...)
	case 1:
		b = append(b, "Block "...)
		b = strconv.AppendUint(b, r%3906250, 10)
		b = append(b, " crc 0x"...)
		b = strconv.AppendUint(b, g.rand()|1<<31, 16)
		b = append(b, " at offset "...)
		b = hex16(b, off)
		b = append(b, " volume "...)
		b = append(b, vol...)
	case 2:
		b = append(b, "Changed block tracking: "...)
		b = append(b, vol...)
		b = append(b, " extents="...)
		b = strconv.AppendUint(b, r%64, 10)
		b = append(b, " first="...)
		b = hex16(b, off)
	case 3:
		b = append(b, "Snapshot device \\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy"...)
		b = strconv.AppendUint(b, r%40+1, 10)
		b = append(b, " of "...)
		b = append(b, vol...)
		b = append(b, " bitmap offset "...)
		b = hex16(b, off)
	default:
		b = append(b, "Write target offset "...)
		b = hex16(b, off)
		b = append(b, " from "...)
		b = append(b, vol...)
		b = append(b, " status 0x00000000"...)
	}
	return append(b, '\n')
}

func hex16(b []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	b = append(b, "0x"...)
	for i := 60; i >= 0; i -= 4 {
		b = append(b, digits[v>>uint(i)&0xf])
	}
	return b
}

func guid(b []byte, g *gen) []byte {
	const digits = "0123456789abcdef"
	b = append(b, '{')
	for i, n := range []int{8, 4, 4, 4, 12} {
		if i > 0 {
			b = append(b, '-')
		}
		for range n {
			b = append(b, digits[g.rand()&0xf])
		}
	}
	return append(b, '}')
}

// crashes are the applications whose faults fill the Event Viewer class.
var crashes = []struct{ app, module string }{
	{"w3wp.exe", "ntdll.dll"},
	{"sqlservr.exe", "KERNELBASE.dll"},
	{"explorer.exe", "shell32.dll"},
	{"MsMpEng.exe", "mpengine.dll"},
}

// eventApp appends one Event Viewer "copy details" record of an
// application crash, hang or .NET runtime error: Level Error, hex codes
// and offsets, a Report Id GUID, none of it about VSS.
func (g *gen) eventApp(b []byte) []byte {
	r := g.rand()
	c := crashes[r%uint64(len(crashes))]
	g.t = g.t.Add(time.Duration(r%600) * time.Second)
	src, id := "Application Error", "1000"
	switch r % 4 {
	case 1:
		src, id = "Windows Error Reporting", "1001"
	case 2:
		src, id = ".NET Runtime", "1026"
	}
	b = append(b, "Log Name:      Application\nSource:        "...)
	b = append(b, src...)
	b = append(b, "\nDate:          "...)
	b = g.t.AppendFormat(b, "1/2/2006 3:04:05 PM")
	b = append(b, "\nEvent ID:      "...)
	b = append(b, id...)
	b = append(b, "\nTask Category: (100)\nLevel:         Error\nKeywords:      Classic\nUser:          N/A\nComputer:      SRV01.example.local\nDescription:\n"...)
	switch id {
	case "1000":
		b = append(b, "Faulting application name: "...)
		b = append(b, c.app...)
		b = append(b, ", version: 10.0.17763.1, time stamp: 0x"...)
		b = strconv.AppendUint(b, g.rand()|1<<28, 16)
		b = append(b, "\nFaulting module name: "...)
		b = append(b, c.module...)
		b = append(b, ", version: 10.0.17763.2989, time stamp: 0x"...)
		b = strconv.AppendUint(b, g.rand()|1<<28, 16)
		b = append(b, "\nException code: 0xc0000005\nFault offset: "...)
		b = hex16(b, g.rand()<<4)
		b = append(b, "\nFaulting process id: 0x"...)
		b = strconv.AppendUint(b, g.rand()%0xffff, 16)
		b = append(b, "\nFaulting application path: C:\\Windows\\System32\\"...)
		b = append(b, c.app...)
		b = append(b, "\nReport Id: "...)
		b = guid(b, g)
		b = append(b, "\nFaulting package full name: \nFaulting package-relative application ID: \n"...)
	case "1001":
		b = append(b, "Fault bucket 1234567890, type 4\nEvent Name: APPCRASH\nResponse: Not available\nCab Id: 0\n\nProblem signature:\nP1: "...)
		b = append(b, c.app...)
		b = append(b, "\nP2: 10.0.17763.1\nP3: "...)
		b = strconv.AppendUint(b, g.rand(), 16)
		b = append(b, "\nP4: "...)
		b = append(b, c.module...)
		b = append(b, "\nP7: c0000005\n\nAttached files:\n\\\\?\\C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\WER"...)
		b = strconv.AppendUint(b, g.rand(), 16)
		b = append(b, ".tmp.mdmp\n\nAnalysis symbol: \nRechecking for solution: 0\nReport Id: "...)
		b = guid(b, g)
		b = append(b, "\nReport Status: 268435456\n"...)
	case "1026":
		b = append(b, "Application: "...)
		b = append(b, c.app...)
		b = append(b, "\nFramework Version: v4.0.30319\nDescription: The process was terminated due to an unhandled exception.\nException Info: System.IO.IOException\n   at System.IO.__Error.WinIOError(Int32, System.String)\n   at Contoso.Sync.Worker.Run()\n"...)
	}
	return append(b, '\n')
}

// eventXML renders one record of the Event Viewer class as wevtutil qe
// /f:xml prints it: the whole event on one line, its message escaped.
func (g *gen) eventXML(b []byte) []byte {
	r := textRecord(g.eventApp(nil))
	g.record++
	b = xmlSystem(b, r.field("Source"), r.field("Event ID"), 2, g)
	b = append(b, "<EventData><Data>"...)
	b = xmlEscape(b, r.message())
	return append(b, "</Data></EventData></Event>\n"...)
}

// textRecord is one record of the Event Viewer text class, read back for
// the classes that render the same events otherwise.
type textRecord string

// field returns the value of a "Key: value" line of the record.
func (r textRecord) field(key string) string {
	_, v, _ := strings.Cut(string(r), "\n"+key+":")
	v, _, _ = strings.Cut(v, "\n")
	return strings.TrimSpace(v)
}

// message returns the lines after "Description:".
func (r textRecord) message() string {
	_, msg, _ := strings.Cut(string(r), "Description:\n")
	return strings.TrimRight(msg, "\n")
}

// eventCSV appends one row of Event Viewer's "Save as CSV": level, date,
// source, event ID and task category, then the message quoted, its lines
// broken as Windows breaks them. The header row comes first.
func (g *gen) eventCSV(b []byte) []byte {
	if g.record == 0 {
		b = append(b, "Level,Date and Time,Source,Event ID,Task Category\r\n"...)
	}
	g.record++
	r := textRecord(g.eventApp(nil))
	return csvRow(b, "Error", r.field("Date"), r.field("Source"), r.field("Event ID"), r.field("Task Category"), r.message())
}

// vssEventCSV is the failure of the CSV class: the VSS 8229 warning.
func (g *gen) vssEventCSV(b []byte) []byte {
	r := textRecord(g.vssEvent(nil))
	return csvRow(b, r.field("Level"), r.field("Date"), r.field("Source"), r.field("Event ID"), r.field("Task Category"), r.message())
}

// csvRow appends a CSV row whose last field is the quoted message.
func csvRow(b []byte, level, date, source, id, task, msg string) []byte {
	for _, f := range []string{level, date, source, id, task} {
		b = append(append(b, f...), ',')
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(strings.ReplaceAll(msg, `"`, `""`), "\n", "\r\n")...)
	return append(b, "\"\r\n"...)
}

// vssEventXML is the failure of the XML class: the VSS 8229 warning.
func (g *gen) vssEventXML(b []byte) []byte {
	g.record++
	b = xmlSystem(b, "VSS", "8229", 3, g)
	return append(b, "<EventData><Data>0x800423f2, The writer's timeout expired between the Freeze and Thaw events.</Data>"+
		"<Data>Operation:&#xD;&#xA;   Freeze Event&#xD;&#xA;&#xD;&#xA;Context:&#xD;&#xA;   Writer Class Id: {e8132975-6f93-4464-a53e-1050253ae220}"+
		"&#xD;&#xA;   Writer Name: System Writer&#xD;&#xA;   Writer Instance ID: {ab13e0da-0a8b-48c4-ab4f-eabe2b3d01fe}</Data>"+
		"<Binary>2D20436F64653A20575254575254494330303030303632352D2043616C6C3A20575254575254494330303030303539332D205049443A</Binary></EventData></Event>\n"...)
}

// xmlSystem appends an event's start and System element.
func xmlSystem(b []byte, provider, id string, level int, g *gen) []byte {
	b = append(b, "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='"...)
	b = append(b, provider...)
	b = append(b, "'/><EventID Qualifiers='0'>"...)
	b = append(b, id...)
	b = append(b, "</EventID><Version>0</Version><Level>"...)
	b = strconv.AppendInt(b, int64(level), 10)
	b = append(b, "</Level><Task>100</Task><Opcode>0</Opcode><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime='"...)
	b = g.t.UTC().AppendFormat(b, "2006-01-02T15:04:05.0000000Z")
	b = append(b, "'/><EventRecordID>"...)
	b = strconv.AppendUint(b, g.record, 10)
	return append(b, "</EventRecordID><Correlation/><Execution ProcessID='0' ThreadID='0'/><Channel>Application</Channel><Computer>SRV01.example.local</Computer><Security/></System>"...)
}

// xmlEscape appends s escaped as wevtutil escapes text: markup characters
// and line breaks.
func xmlEscape(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '&':
			b = append(b, "&amp;"...)
		case '\'':
			b = append(b, "&apos;"...)
		case '\n':
			b = append(b, "&#xD;&#xA;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// vssEvent is the failure of the Event Viewer class: a VSS 8229 warning
// naming the writer and its code.
func (g *gen) vssEvent(b []byte) []byte {
	b = append(b, "Log Name:      Application\nSource:        VSS\nDate:          "...)
	b = g.t.AppendFormat(b, "1/2/2006 3:04:05 PM")
	b = append(b, "\nEvent ID:      8229\nTask Category: None\nLevel:         Warning\nKeywords:      Classic\nUser:          N/A\nComputer:      SRV01.example.local\nDescription:\n"...)
	return append(b, "A VSS writer has rejected an event with error 0x800423f2, The writer's timeout expired between the Freeze and Thaw events.\n\nOperation:\n   Freeze Event\n\nContext:\n   Writer Class Id: {e8132975-6f93-4464-a53e-1050253ae220}\n   Writer Name: System Writer\n   Writer Instance ID: {ab13e0da-0a8b-48c4-ab4f-eabe2b3d01fe}\n\n"...)
}

// japanese appends one line of a Japanese AIP task log.
func (g *gen) japanese(b []byte) []byte {
	b = g.stamp(b)
	r := g.rand()
	blk := r % 3906250
	switch r % 5 {
	case 0:
		b = append(b, "ブロック "...)
		b = strconv.AppendUint(b, blk, 10)
		b = append(b, " をバックアップしました (65536 バイト、重複排除 "...)
		b = strconv.AppendUint(b, r%64, 10)
		b = append(b, " KB)"...)
	case 1:
		b = append(b, "進行状況 "...)
		b = strconv.AppendUint(b, r%100, 10)
		b = append(b, "%、412 MB/秒、経過時間 "...)
		b = strconv.AppendUint(b, r%3600, 10)
		b = append(b, " 秒"...)
	case 2:
		b = append(b, "クラスター範囲を読み取りました lcn="...)
		b = strconv.AppendUint(b, blk*16, 10)
		b = append(b, " 長さ="...)
		b = strconv.AppendUint(b, r%4096+1, 10)
	case 3:
		b = append(b, "書き込みキュー: "...)
		b = strconv.AppendUint(b, r%32, 10)
		b = append(b, " 件、再試行 0 回、エラー 0 件"...)
	default:
		b = append(b, "ブロック "...)
		b = strconv.AppendUint(b, blk, 10)
		b = append(b, " を検証しました (CRC 正常)"...)
	}
	return append(b, '\n')
}
