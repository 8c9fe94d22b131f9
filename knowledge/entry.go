package knowledge

import "fmt"

// explanation is what code and event entries share: the words a diagnosis
// shows.
type explanation struct {
	Title      Text        `yaml:"title"`
	Meaning    Text        `yaml:"meaning"`
	Causes     []Text      `yaml:"causes"`
	Steps      []Text      `yaml:"steps"`
	References []Reference `yaml:"references"`
}

// diagnosis is the explanation in one language, before any finding is joined.
func (x *explanation) diagnosis(lang Lang) Diagnosis {
	return Diagnosis{
		Title:      x.Title.In(lang),
		Meaning:    x.Meaning.In(lang),
		Causes:     texts(x.Causes, lang),
		Steps:      texts(x.Steps, lang),
		References: refs(x.References),
	}
}

// codeEntry is an HRESULT or a task exit code.
type codeEntry struct {
	Code        string `yaml:"code"`
	Name        string `yaml:"name"`
	Kind        string `yaml:"kind"`
	explanation `yaml:",inline"`
	Products    []string `yaml:"products"`
	Related     []string `yaml:"related"`
	at          position
}

// stateEntry is one VSS_WRITER_STATE value.
type stateEntry struct {
	Value    int    `yaml:"value"`
	Name     string `yaml:"name"`
	Stage    Text   `yaml:"stage"`
	Vssadmin Text   `yaml:"vssadmin"`
	Meaning  Text   `yaml:"meaning"`
	at       position
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

// writerEntry is a well-known VSS writer.
type writerEntry struct {
	Name    string   `yaml:"name"`
	ID      string   `yaml:"id"`
	Service Service  `yaml:"service"`
	Advice  Text     `yaml:"advice"`
	Aliases []string `yaml:"aliases"`
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

// eventKey identifies an event: provider in lower case and event id.
type eventKey struct {
	provider string
	id       int
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
	codes   []*codeEntry
	states  []*stateEntry
	writers []*writerEntry
	events  []*eventEntry
	phrases []*phraseEntry
}

func (e *entries) add(o entries) {
	e.codes = append(e.codes, o.codes...)
	e.states = append(e.states, o.states...)
	e.writers = append(e.writers, o.writers...)
	e.events = append(e.events, o.events...)
	e.phrases = append(e.phrases, o.phrases...)
}
