package knowledge

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/vssbot/vssbot/knowledge/incident"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// freezeWindow is the default writer timeout, in seconds, that the vendor
// article states for VSS_E_WRITERERROR_TIMEOUT.
const freezeWindow = 60

// group is a diagnosis being assembled from the findings that share its key.
type group struct {
	d       Diagnosis
	failed  bool // the writer's state was a VSS_WS_FAILED_AT_* one
	writers map[string]bool
	unnamed int // writers beyond maxWriterNotes, counted but not described
}

// maxWriterNotes bounds the writers described in one diagnosis, so a log
// naming thousands of writers cannot inflate the reply.
const maxWriterNotes = 10

// Diagnose joins findings to entries. lang Auto answers in Japanese when
// res.Japanese is set.
func (b *Base) Diagnose(res *parse.Result, l lang.Tag) *Report {
	if res == nil {
		res = &parse.Result{}
	}
	l = l.Choose(res.Japanese)
	r := &Report{
		Lang:      l,
		Inputs:    append([]parse.Input{}, res.Inputs...),
		Findings:  append([]parse.Finding{}, res.Findings...),
		Facts:     append([]parse.Fact{}, res.Facts...),
		Diagnoses: []Diagnosis{},
		Incidents: []incident.Incident{},
	}
	var order []string
	groups := map[string]*group{}
	for i, f := range res.Findings {
		for _, key := range b.findingKeys(f) {
			g, ok := groups[key]
			if !ok {
				g = &group{d: b.entryFor(key, f, l), writers: map[string]bool{}}
				groups[key] = g
				order = append(order, key)
			}
			g.d.Findings = append(g.d.Findings, i)
			b.joinWriter(g, f, l)
		}
	}
	for _, key := range order {
		g := groups[key]
		if g.unnamed > 0 {
			g.d.Notes = append(g.d.Notes, fmt.Sprintf(l.Pick("%d more writers are involved.", "ほかに %d 個のライターが関係しています。"), g.unnamed))
		}
		r.Diagnoses = append(r.Diagnoses, g.d)
	}
	b.addFacts(r, res.Facts, l)
	b.tell(r, res)
	partial := unreadable(res.Inputs, l) + stopped(res.Inputs, l) + binaries(res.Inputs, l)
	if len(order) == 0 {
		none := l.Pick("No VSS or backup failure was found in what was sent.",
			"送られた内容から VSS やバックアップの障害は見つかりませんでした。")
		if stopped(res.Inputs, l) != "" {
			none = l.Pick("No VSS or backup failure was found in the part that was read.",
				"読み取れた範囲では VSS やバックアップの障害は見つかりませんでした。")
		}
		r.Headline = none + partial
		return r
	}
	r.Headline = headline(r.Diagnoses[0], groups[order[0]].failed, l) + more(len(order)-1, l) + partial
	return r
}

// binaries names the inputs that were binary data of a format not read
// here: nothing was looked for in them, which the answer must not hide.
func binaries(inputs []parse.Input, l lang.Tag) string {
	var names []string
	for _, in := range inputs {
		if in.Format == parse.FormatBinary {
			names = append(names, strconv.Quote(in.Source))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf(l.Pick(" %s: binary data of an unknown format, not read as text; nothing was looked for in it.",
		"%s はテキストではない未対応の形式のデータのため、読み取っていません（内容は調べていません）。"), strings.Join(names, ", "))
}

// unreadable says how many records of damaged binary event logs could not
// be read, so that an answer from part of a log says so.
func unreadable(inputs []parse.Input, l lang.Tag) string {
	var n int64
	for _, in := range inputs {
		n += in.Unreadable
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(l.Pick(" %d event log records could not be read: the file is damaged.",
		"ファイルが破損しているため、イベント ログの %d 件のレコードを読めませんでした。"), n)
}

// stopped names the inputs whose reading a limit stopped (a zip bomb, an
// archive too large), so that an answer from part of them says so. An
// archive holding the stopped entry is not named again.
func stopped(inputs []parse.Input, l lang.Tag) string {
	var parts []string
	for _, in := range inputs {
		if in.Limit == "" || slices.ContainsFunc(inputs, func(o parse.Input) bool {
			return o.Limit != "" && strings.HasPrefix(o.Source, in.Source+":")
		}) {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", strconv.Quote(in.Source), in.Limit))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf(l.Pick(" Reading stopped at a limit in %s: what came after it was not read.",
		"%s は上限に達したため途中で読み取りを止めました。その先は読んでいません。"), strings.Join(parts, ", "))
}

// findingKeys lists the diagnoses a finding belongs to: its code, and for
// an event also the event itself. An event carrying a VSS code is explained
// by that code first (an 8229 with 0x800423f4 is above all a non-retryable
// writer error); a generic code such as 0x80070005 says less than its event.
func (b *Base) findingKeys(f parse.Finding) []string {
	var keys []string
	if f.Kind == parse.KindEvent {
		ev := "event:" + keyOf(f.Provider, f.Event).String()
		if parse.InVSSRange(f.Code) {
			return []string{"code:" + f.Code, ev}
		}
		keys = append(keys, ev)
	}
	switch {
	case f.Code != "":
		keys = append(keys, "code:"+f.Code)
	case f.Kind == parse.KindEvent:
	case f.State >= 0 && (f.Kind == parse.KindWriterState || f.Kind == parse.KindWriterFailure):
		keys = append(keys, "state:"+strconv.Itoa(f.State))
	case f.Writer != "" || f.WriterID != "":
		id := strings.ToLower(cmp.Or(f.WriterID, f.Writer))
		if w := b.writerOf(f); w != nil {
			id = w.ID // the same writer, named by id in one log and by name in another
		}
		keys = append(keys, "writer:"+id)
	}
	return keys
}

// entryFor builds the plain diagnosis for a key from the base, or one that
// says the base lacks it.
func (b *Base) entryFor(key string, f parse.Finding, l lang.Tag) Diagnosis {
	kind, _, _ := strings.Cut(key, ":")
	switch kind {
	case "event":
		if e, ok := b.events[keyOf(f.Provider, f.Event)]; ok {
			return eventDiagnosis(e, l)
		}
		return unknownEventDiagnosis(f, l)
	case "code":
		if c, ok := b.codes[f.Code]; ok {
			return codeDiagnosis(c, l)
		}
		return unknownCodeDiagnosis(oneLine(f.Code), oneLine(f.Name), l)
	case "state":
		if s, ok := b.states[f.State]; ok {
			return stateDiagnosis(s, l)
		}
		return stateDiagnosis(&stateEntry{Value: f.State, Name: f.StateName,
			Meaning: Text{EN: "A writer state this knowledge base does not know.", JA: "ナレッジベースにないライターの状態です。"}}, l)
	}
	if w := b.writerOf(f); w != nil {
		return writerDiagnosis(w, l)
	}
	return unknownWriterDiagnosis(f, l)
}

func unknownEventDiagnosis(f parse.Finding, l lang.Tag) Diagnosis {
	return Diagnosis{
		Code:  strconv.Itoa(f.Event),
		Name:  strings.TrimSpace(oneLine(f.Provider) + " " + strconv.Itoa(f.Event)),
		Kind:  kindEvent,
		Title: l.Pick("Event not in the knowledge base", "ナレッジベースにないイベント"),
		Meaning: l.Pick("This event was logged near the failure, but the knowledge base has no entry for it.",
			"障害の前後にこのイベントが記録されていますが、ナレッジベースには登録がありません。"),
		Causes: []string{},
		Steps: []string{l.Pick("Open the event in Event Viewer and read its description and its error code, if any.",
			"イベント ビューアーでこのイベントを開き、説明とエラー コードがあればそれを確認してください。")},
		References: []Reference{},
	}
}

func unknownWriterDiagnosis(f parse.Finding, l lang.Tag) Diagnosis {
	return Diagnosis{
		Name:  oneLine(f.Writer),
		Kind:  kindWriter,
		Title: l.Pick("VSS writer not in the knowledge base", "ナレッジベースにない VSS ライター"),
		Meaning: l.Pick("A VSS writer the knowledge base does not know, probably installed by an application.",
			"ナレッジベースにない VSS ライターです。アプリケーションが追加したものと考えられます。"),
		Causes: []string{},
		Steps: []string{l.Pick("Find the application or service that provides this writer, restart that service, then check with `vssadmin list writers` that the writer is Stable.",
			"このライターを提供しているアプリケーションまたはサービスを特定して再起動し、`vssadmin list writers` でライターが「安定」になったことを確認してください。")},
		References: []Reference{},
		Writer:     oneLine(f.Writer),
		WriterID:   oneLine(f.WriterID),
	}
}

// oneLine keeps text read from a log on one line: control characters
// become spaces, so a headline stays a headline.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsControl), " ")
}

// tell adds the correlation of res's sources to r: incidents, a timeline,
// and each finding's time with its clock's offset.
func (b *Base) tell(r *Report, res *parse.Result) {
	c := incident.Case{Lang: r.Lang, Findings: r.Findings, Diagnoses: make([]incident.Diagnosis, len(r.Diagnoses))}
	for i, d := range r.Diagnoses {
		c.Diagnoses[i] = incident.Diagnosis{Code: d.Code, Event: d.Kind == kindEvent, Findings: d.Findings}
	}
	told := incident.Tell(b, c, res)
	r.Findings, r.Timeline = told.Findings, told.Timeline
	if told.Incidents != nil {
		r.Incidents = told.Incidents
	}
	for _, n := range slices.Sorted(maps.Keys(told.Apart)) {
		for i := range r.Diagnoses {
			if slices.Contains(r.Diagnoses[i].Findings, told.Apart[n]) {
				r.Diagnoses[i].Findings = append(r.Diagnoses[i].Findings, n)
			}
		}
	}
}

// WriterOf implements incident.Base: a finding's writer by id, then name.
func (b *Base) WriterOf(f parse.Finding) (id, name string, ok bool) {
	if w := b.writerOf(f); w != nil {
		return w.ID, w.Name, true
	}
	return "", "", false
}

// StageOf implements incident.Base.
func (b *Base) StageOf(f parse.Finding, l lang.Tag) string {
	if s := b.stateOf(f); s != nil {
		return s.Stage.In(l)
	}
	return ""
}

// Accompanies implements incident.Base.
func (b *Base) Accompanies(provider string, event int) []string {
	if e, ok := b.events[keyOf(provider, event)]; ok {
		return e.Accompanies
	}
	return nil
}

// writerOf finds the finding's writer by id, then by name.
func (b *Base) writerOf(f parse.Finding) *writerEntry {
	if f.WriterID != "" {
		if w, ok := b.writers[normalizeGUID(f.WriterID)]; ok {
			return w
		}
	}
	if id, ok := b.writerKeys[strings.ToLower(strings.TrimSpace(f.Writer))]; ok {
		return b.writers[id]
	}
	return nil
}

// stateOf finds the finding's writer state by number, then by name.
func (b *Base) stateOf(f parse.Finding) *stateEntry {
	if s, ok := b.states[f.State]; ok {
		return s
	}
	if v, ok := b.stateNames[normalizeName(f.StateName)]; ok && f.StateName != "" {
		return b.states[v]
	}
	return nil
}

// joinWriter adds the finding's writer, stage and service to the
// diagnosis: the first writer fills the fields, later ones become notes,
// those past maxWriterNotes are only counted. Every writer brings its
// advice: restart the service that hosts it.
func (b *Base) joinWriter(g *group, f parse.Finding, l lang.Tag) {
	if f.Writer == "" && f.WriterID == "" {
		return
	}
	w := b.writerOf(f)
	name := cmp.Or(oneLine(f.Writer), oneLine(f.WriterID))
	if w != nil {
		name = w.Name
	}
	if g.writers[name] {
		return
	}
	g.writers[name] = true
	if len(g.writers) > maxWriterNotes+1 {
		g.unnamed++
		return
	}
	s := b.stateOf(f)
	stage := ""
	if s != nil {
		stage = s.Stage.In(l)
	}
	advice := writerAdvice(w, l)
	reset := WriterAction{Writer: name, Stage: stage, Failed: s != nil && s.failed(), Advice: advice}
	if w != nil {
		reset.Service = w.Service.String()
	}
	g.d.Writers = append(g.d.Writers, reset)
	if len(g.writers) > 1 {
		g.d.Notes = append(g.d.Notes, alsoInvolved(name, stage, l)+" "+advice)
		return
	}
	g.firstWriter(w, f, name, stage, s != nil && s.failed(), advice, l)
}

// writerAdvice is the writer entry's advice, or the general one for a
// writer the base does not know.
func writerAdvice(w *writerEntry, l lang.Tag) string {
	if w != nil {
		return w.Advice.In(l, nil)
	}
	return l.Pick("Find the application or service that provides this writer, restart it, then check with `vssadmin list writers` that the writer is Stable.",
		"このライターを提供しているアプリケーションまたはサービスを特定して再起動し、`vssadmin list writers` でライターが「安定」になったことを確認してください。")
}

// alsoInvolved is the note on a writer after the first.
func alsoInvolved(name, stage string, l lang.Tag) string {
	if stage != "" {
		return fmt.Sprintf(l.Pick("%s is also involved (%s).", "%s も関係しています (%s)。"), name, stage)
	}
	return fmt.Sprintf(l.Pick("%s is also involved.", "%s も関係しています。"), name)
}

// firstWriter fills the diagnosis's writer fields and places the advice:
// first among a failed state's steps, last among a waiting state's (it may
// yet finish: look again first), in the notes of a code.
func (g *group) firstWriter(w *writerEntry, f parse.Finding, name, stage string, failed bool, advice string, l lang.Tag) {
	g.d.Writer, g.d.WriterID, g.d.Stage = name, oneLine(f.WriterID), stage
	g.failed = failed
	if w != nil {
		g.d.WriterID, g.d.Service = w.ID, w.Service.String()
		g.d.Resets = w.resets(l)
	}
	switch {
	case g.d.Kind == kindWriter:
		// the writer's own entry already carries its advice
	case g.d.Kind == kindWriterState && g.failed:
		g.d.Steps = append([]string{advice}, g.d.Steps...)
	case g.d.Kind == kindWriterState:
		g.d.Steps = append(g.d.Steps, advice)
	default:
		g.d.Notes = append(g.d.Notes, advice)
	}
}

// addFacts turns derived facts into notes on the first writer diagnosis
// (or the first diagnosis when no writer is involved). The article's 60 s
// default is stated once per answer: not at all when an entry already says
// it.
func (b *Base) addFacts(r *Report, facts []parse.Fact, l lang.Tag) {
	if len(r.Diagnoses) == 0 {
		return
	}
	target := &r.Diagnoses[0]
	for i := range r.Diagnoses {
		if r.Diagnoses[i].Writer != "" && r.Diagnoses[i].Kind != kindWriter {
			target = &r.Diagnoses[i]
			break
		}
	}
	stated := slices.ContainsFunc(r.Diagnoses, func(d Diagnosis) bool {
		return strings.Contains(d.Meaning, l.Pick(fmt.Sprintf("%d seconds", freezeWindow), fmt.Sprintf("%d 秒", freezeWindow)))
	})
	for _, f := range facts {
		note := factNote(f, !stated, l)
		if slices.Contains(target.Notes, note) {
			continue
		}
		if f.Kind == "vss_start_to_failure" {
			stated = true
		}
		target.Notes = append(target.Notes, note)
	}
}

// factNote states a fact as the log shows it. The VssStart()-to-failure
// span covers every phase of the snapshot and writers may set their own
// freeze timeout, so it is never compared with the 60 s default: the note
// only says what the article gives as that default, when withDefault.
func factNote(f parse.Fact, withDefault bool, l lang.Tag) string {
	where := ""
	if f.Source != "" {
		where = fmt.Sprintf(" (%s:%d)", f.Source, f.Line)
	}
	s := strconv.FormatFloat(f.Seconds, 'f', -1, 64)
	if f.Kind != "vss_start_to_failure" {
		return fmt.Sprintf("%s: %s s%s", f.Kind, s, where)
	}
	note := fmt.Sprintf(l.Pick("%s s passed between VssStart() and the failure%s; the span covers every phase of the snapshot, not only the freeze.",
		"VssStart() から失敗まで %s 秒でした%s。この時間は Freeze だけでなく、スナップショットのすべての段階を含みます。"), s, where)
	if withDefault {
		note += fmt.Sprintf(l.Pick(" The ActiveImage Protector article gives %d s as the default writer timeout; a writer may set its own.",
			" ActiveImage Protector の記事は、ライターのタイムアウトの既定値を %d 秒としています。ライターが独自の値を設定している場合もあります。"), freezeWindow)
	}
	return note
}
