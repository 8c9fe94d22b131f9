package knowledge

import (
	"fmt"
	"strings"

	"github.com/vssbot/vssbot/lang"
)

// explanation is what code and event entries share: the words a diagnosis
// shows.
type explanation struct {
	Title      Text        `yaml:"title"`
	Meaning    Text        `yaml:"meaning"`
	Causes     []Text      `yaml:"causes"`
	Steps      []Step      `yaml:"steps"`
	References []Reference `yaml:"references"`
}

// diagnosis is the explanation in one language, before any finding is joined.
func (x *explanation) diagnosis(l lang.Tag) Diagnosis {
	return Diagnosis{
		Title:      x.Title.In(l),
		Meaning:    x.Meaning.In(l),
		Causes:     texts(x.Causes, l),
		Steps:      steps(x.Steps, x.References, l),
		References: refs(x.References, l),
	}
}

// Step is one workaround step. Warning says what a risky step interrupts or
// loses and when to run it; Source names the reference (by its label) whose
// advice the step is, when an entry mixes advice from several sources.
type Step struct {
	JA      string `yaml:"ja"`
	EN      string `yaml:"en"`
	Warning *Text  `yaml:"warning"`
	Source  string `yaml:"source"`
}

// text is the step without its warning.
func (s Step) text() Text { return Text{JA: s.JA, EN: s.EN} }

// In renders the step in lang: the source's label first, the warning after,
// so no renderer can show the command without its caution.
func (s Step) In(l lang.Tag, labels map[string]string) string {
	out := s.text().In(l)
	if s.Source != "" {
		out = "[" + cmpOr(labels[s.Source], s.Source) + "] " + out
	}
	if s.Warning != nil {
		out += l.Pick(" ⚠ Caution: ", " ⚠ 注意: ") + s.Warning.In(l)
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// codeEntry is an HRESULT or a task exit code.
type codeEntry struct {
	Code        string `yaml:"code"`
	Name        string `yaml:"name"`
	Kind        string `yaml:"kind"`
	explanation `yaml:",inline"`
	Products    []string `yaml:"products"`
	Related     []string `yaml:"related"`
	// win32 is the Win32 error a FACILITY_WIN32 code carries, joined
	// when the base is built.
	win32     *win32Entry
	fromWin32 bool // made of the Win32 table alone: its meaning quotes the message
	at        position
}

// stateEntry is one VSS_WRITER_STATE value.
type stateEntry struct {
	Value      int         `yaml:"value"`
	Name       string      `yaml:"name"`
	Stage      Text        `yaml:"stage"`
	Vssadmin   Text        `yaml:"vssadmin"`
	Meaning    Text        `yaml:"meaning"`
	References []Reference `yaml:"references"`
	at         position
}

// failed reports whether the state is one of the VSS_WS_FAILED_AT_* values.
func (s *stateEntry) failed() bool { return s.Value >= 6 }

// Service is the Windows service hosting a writer.
type Service struct {
	Display string `yaml:"display" json:"display"`
	Name    string `yaml:"name" json:"name"`
}

func (s Service) String() string {
	if s.Name == "" || s.Name == s.Display {
		return s.Display
	}
	return s.Display + " (" + s.Name + ")"
}

// writerEntry is a well-known VSS writer. Service and Advice are the
// current release's; Resets say, per product version where it differs,
// which service hosts the writer and how to reset it.
type writerEntry struct {
	Name       string        `yaml:"name"`
	ID         string        `yaml:"id"`
	Service    Service       `yaml:"service"`
	Advice     Step          `yaml:"advice"`
	Resets     []writerReset `yaml:"resets"`
	Aliases    []string      `yaml:"aliases"`
	References []Reference   `yaml:"references"`
	at         position
}

// writerReset is how to reset a writer on some versions of its product:
// the service that hosts it there and the step, whose warning says what
// the reset disrupts.
type writerReset struct {
	Versions Text    `yaml:"versions"`
	Service  Service `yaml:"service"`
	Step     Step    `yaml:"step"`
}

// win32Entry is one Win32 system error, as FACILITY_WIN32 HRESULTs
// (0x8007xxxx) carry it: the message Windows prints in each language, and
// steps when the error is common in backups.
type win32Entry struct {
	Code    int    `yaml:"code"`
	Name    string `yaml:"name"`
	Message Text   `yaml:"message"`
	Steps   []Step `yaml:"steps"`
	at      position
}

// eventEntry is a Windows event log record worth explaining.
type eventEntry struct {
	Provider    string `yaml:"provider"`
	ID          int    `yaml:"id"`
	explanation `yaml:",inline"`
	// Accompanies lists the codes this event is known to be logged with,
	// so that a case's sources can be joined on it.
	Accompanies []string `yaml:"accompanies"`
	at          position
}

// situationEntry is a field situation that no single code names: a writer
// missing from `vssadmin list writers`, a Hyper-V guest backed up in saved
// state. Match lists phrases whose words, all present in a query, name it.
type situationEntry struct {
	ID          string `yaml:"id"`
	explanation `yaml:",inline"`
	Match       []string `yaml:"match"`
	Related     []string `yaml:"related"`
	at          position
}

// registryEntry is a registry value that answers refer to.
type registryEntry struct {
	Name        string `yaml:"name"`
	Key         string `yaml:"key"`
	Type        string `yaml:"type"`
	Default     Text   `yaml:"default"`
	explanation `yaml:",inline"`
	at          position
}

// eventKey identifies an event: provider in lower case and event id.
type eventKey struct {
	provider string
	id       int
}

// keyOf is the key of a provider's event. Exports name a provider in full
// ("Microsoft-Windows-Hyper-V-VMMS") where Event Viewer's Source column
// shortens it ("Hyper-V-VMMS"): both are the same key.
func keyOf(provider string, id int) eventKey {
	return eventKey{providerKey(provider), id}
}

func providerKey(p string) string {
	return strings.TrimPrefix(strings.ToLower(strings.TrimSpace(p)), "microsoft-windows-")
}

func (k eventKey) String() string { return fmt.Sprintf("%s %d", k.provider, k.id) }

// position is where an entry was read, for problems and Load errors.
type position struct {
	file string
	line int
}

func (p position) String() string { return fmt.Sprintf("%s:%d", p.file, p.line) }

// entries is the content of one or more data files.
type entries struct {
	codes      []*codeEntry
	states     []*stateEntry
	writers    []*writerEntry
	events     []*eventEntry
	phrases    []*phraseEntry
	situations []*situationEntry
	registry   []*registryEntry
	win32      []*win32Entry
}

func (e *entries) add(o entries) {
	e.codes = append(e.codes, o.codes...)
	e.states = append(e.states, o.states...)
	e.writers = append(e.writers, o.writers...)
	e.events = append(e.events, o.events...)
	e.phrases = append(e.phrases, o.phrases...)
	e.situations = append(e.situations, o.situations...)
	e.registry = append(e.registry, o.registry...)
	e.win32 = append(e.win32, o.win32...)
}
