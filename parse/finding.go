package parse

// Kind says what sort of evidence a Finding is. The order of the constants is
// not the ranking; see Rank.
type Kind string

// Kinds of findings.
const (
	// KindWriterFailure is a writer in a failed state with its failure code,
	// from an AIP/vshadow "Selected writer ... is in failed state" block or
	// from vssadmin output whose last error maps to a writer error code.
	KindWriterFailure Kind = "writer_failure"
	// KindWriterState is a writer that is not stable but carries no failure
	// code (e.g. vssadmin "Waiting for completion" with "No error").
	KindWriterState Kind = "writer_state"
	// KindExitCode is a backup task result such as AIP's "Exit Code -311".
	KindExitCode Kind = "exit_code"
	// KindVSSError is a VSS_E_*/VSS_S_* HRESULT seen outside a writer block.
	KindVSSError Kind = "vss_error"
	// KindUnknownVSS is a code in the VSS facility range (0x80042xxx) that the
	// vocabulary does not know.
	KindUnknownVSS Kind = "unknown_vss"
	// KindEvent is a Windows event log record from VSS, VolSnap or a backup
	// source; Code carries the event's hr when it has one.
	KindEvent Kind = "event"
	// KindHRESULT is a generic COM/Win32 HRESULT (0x8000ffff, 0x80070005...).
	KindHRESULT Kind = "hresult"
	// KindWriter is a writer named (or identified by GUID) without any
	// failure attached, e.g. free text "System Writer".
	KindWriter Kind = "writer"
)

// Finding is one piece of evidence. Identical evidence in one source is
// merged: Count says how many times it was seen there, Line and Time are
// those of the first sighting. The same evidence in another source (another
// file of a bundle) is a finding of its own.
//
// The JSON field names are a stable contract shared with the CLI and the
// chat adapters: add fields, never rename them.
type Finding struct {
	Kind Kind `json:"kind"`
	// Code is canonical: "0x" + 8 lowercase hex digits for HRESULTs, a signed
	// decimal string ("-311") for task exit codes, "" when there is none.
	Code       string `json:"code"`
	Name       string `json:"name"`        // symbolic name, e.g. VSS_E_WRITERERROR_TIMEOUT
	Writer     string `json:"writer"`      // writer name, e.g. System Writer
	WriterID   string `json:"writer_id"`   // lowercase GUID in braces
	InstanceID string `json:"instance_id"` // lowercase GUID in braces
	// State is the VSS_WRITER_STATE number; -1 when the log gave none.
	State     int    `json:"state"`
	StateName string `json:"state_name"` // e.g. VSS_WS_FAILED_AT_FREEZE
	Source    string `json:"source"`     // file name, or "bundle.zip:logs/1500000000.log"
	Line      int    `json:"line"`       // 1-based line of the first sighting
	// Time is the timestamp when the log has one, ISO 8601 as written, with
	// no offset; a knowledge.Report adds its clock's offset when known (Z
	// for UTC).
	Time  string `json:"time"`
	Count int    `json:"count"`
	// Zone says which clock Time was written in: "UTC", an offset such as
	// "+09:00", "local" (a text export's local time, offset not written) or
	// "unknown" (a task log or free text); "" when there is no Time.
	Zone string `json:"zone,omitempty"`
	// Event is the Windows event ID for KindEvent findings.
	Event int `json:"event,omitempty"`
	// Provider is the event source (VSS, VolSnap...) for KindEvent findings.
	Provider string `json:"provider,omitempty"`
	// Record is the event's EventRecordID, when the log gives it. In a
	// binary .evtx log, Line is that record number too.
	Record int64 `json:"record,omitempty"`
	// LastError is the vssadmin "Last error" text, kept as the log wrote it.
	LastError string `json:"last_error,omitempty"`
}

// Input describes one thing that was read: a file, stdin, or an archive entry.
type Input struct {
	Source   string `json:"source"`
	Encoding string `json:"encoding"` // utf-8, utf-8-bom, utf-16le, utf-16be, shift_jis
	Format   string `json:"format"`   // aip, vssadmin, eventlog, text, zip, gzip, evtx, binary
	Bytes    int64  `json:"bytes"`    // bytes read from the source before decoding
	Error    string `json:"error,omitempty"`
	// Records and Unreadable count the records of a binary event log
	// (.evtx) read and lost to damage; Damage says where the first damage
	// is.
	Records    int64  `json:"records,omitempty"`
	Unreadable int64  `json:"unreadable_records,omitempty"`
	Damage     string `json:"damage,omitempty"`
	// Limit names the limit that stopped the reading of this input, with
	// its value ("MaxRatio=1000"): what follows it was not read.
	Limit string `json:"limit,omitempty"`
}

// Zones of Finding.Zone besides explicit offsets.
const (
	ZoneUTC     = "UTC"
	ZoneLocal   = "local"
	ZoneUnknown = "unknown"
)

// Sighting is one occurrence of a finding. Merged findings keep the place
// of their first sighting only; a case's timeline needs each one, since the
// same event an hour apart is two occurrences.
type Sighting struct {
	Finding int    // index into Result.Findings
	Source  string // as Finding.Source
	Line    int
	Time    string // as Finding.Time, never ""
	Zone    string // as Finding.Zone
}

// Fact is something derived from the log rather than read from one line, e.g.
// the time between VssStart() and the failure.
type Fact struct {
	Kind string `json:"kind"` // e.g. "vss_start_to_failure"
	// Seconds is the measured duration for timing facts.
	Seconds float64 `json:"seconds,omitempty"`
	Source  string  `json:"source"`
	Line    int     `json:"line"`
}

// Result is everything found in one or more inputs, findings already merged
// and ranked.
type Result struct {
	Inputs   []Input   `json:"inputs"`
	Findings []Finding `json:"findings"`
	Facts    []Fact    `json:"facts,omitempty"`
	// Sightings lists the timed occurrences of the findings, a bounded
	// number per finding, in the order read.
	Sightings []Sighting `json:"-"`
	// Japanese is true when the text read was mostly Japanese, which drives
	// the "auto" answer language.
	Japanese bool `json:"-"`
}

// Vocabulary is what the parser needs from a knowledge base to name codes and
// writers and to tell a known VSS code from an unknown one. knowledge.Base
// implements it; the parser never imports knowledge.
type Vocabulary interface {
	// NameOf returns the symbolic name of a canonical code ("" if unknown).
	NameOf(code string) string
	// CodeOf resolves a symbolic name in any case, with or without its
	// VSS_E_ prefix, to a canonical code.
	CodeOf(name string) (code string, ok bool)
	// WriterNames lists the well-known writer names, for free-text matching.
	WriterNames() []string
	// WriterByID maps a lowercase braced writer GUID to its name.
	WriterByID(id string) (name string, ok bool)
}
