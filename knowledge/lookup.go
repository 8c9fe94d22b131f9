package knowledge

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/vssbot/vssbot/knowledge/incident"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// hit is one entry a query resolved to; exactly one field is set.
type hit struct {
	code      *codeEntry
	state     *stateEntry
	writer    *writerEntry
	event     *eventEntry
	situation *situationEntry
	registry  *registryEntry
}

func (h hit) key() string {
	switch {
	case h.code != nil:
		return "code:" + h.code.Code
	case h.state != nil:
		return "state:" + strconv.Itoa(h.state.Value)
	case h.writer != nil:
		return "writer:" + h.writer.ID
	case h.situation != nil:
		return "situation:" + h.situation.ID
	case h.registry != nil:
		return "registry:" + strings.ToLower(h.registry.Name)
	default:
		return "event:" + keyOf(h.event.Provider, h.event.ID).String()
	}
}

func (h hit) diagnosis(l lang.Tag) Diagnosis {
	switch {
	case h.code != nil:
		return codeDiagnosis(h.code, l)
	case h.state != nil:
		return stateDiagnosis(h.state, l)
	case h.writer != nil:
		return writerDiagnosis(h.writer, l)
	case h.situation != nil:
		return situationDiagnosis(h.situation, l)
	case h.registry != nil:
		return registryDiagnosis(h.registry, l)
	default:
		return eventDiagnosis(h.event, l)
	}
}

// maxQuery bounds the part of a query that is examined, so a pasted novel
// costs no more than a line.
const maxQuery = 200

// maxPartial is how many writers a partial name may match before it is
// too vague to answer.
const maxPartial = 3

var guidQuery = lazyRegexp(`^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$`)

// Lookup answers queries in any accepted form (codes, names, writer names or
// GUIDs, "event 8229", "-311"). Every query gets an answer: a diagnosis or an
// Unknown entry.
func (b *Base) Lookup(queries []string, want lang.Tag) *Report {
	l := want.Choose(slices.ContainsFunc(queries, lang.HasJapanese))
	r := &Report{Lang: l, Inputs: []parse.Input{}, Findings: []parse.Finding{}, Diagnoses: []Diagnosis{}, Incidents: []incident.Incident{}}
	seen := map[string]bool{}
	for _, q := range queries {
		hits := b.resolve(q)
		if len(hits) == 0 {
			r.Unknown = append(r.Unknown, b.unknown(q, l))
			continue
		}
		for _, h := range hits {
			if k := h.key(); !seen[k] {
				seen[k] = true
				r.Diagnoses = append(r.Diagnoses, h.diagnosis(l))
			}
		}
	}
	r.Headline = lookupHeadline(r)
	return r
}

func lookupHeadline(r *Report) string {
	l := r.Lang
	if len(r.Diagnoses) == 0 {
		qs := make([]string, 0, len(r.Unknown))
		for _, u := range r.Unknown {
			qs = append(qs, u.Query)
		}
		if len(qs) == 0 {
			return l.Pick("Nothing to look up.", "検索する語がありません。")
		}
		return l.Pick("Not in the knowledge base: ", "ナレッジベースにありません: ") + strings.Join(qs, ", ")
	}
	return headline(r.Diagnoses[0], false, l) + more(len(r.Diagnoses)+len(r.Unknown)-1, l)
}

func more(n int, l lang.Tag) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(l.Pick(" (and %d more)", " (他 %d 件)"), n)
}

// resolve returns the entries a query names, in the order a reader expects
// them; none when the query is unknown.
func (b *Base) resolve(query string) []hit {
	q := cleanQuery(query)
	if q == "" {
		return nil
	}
	// "event 8229", "state 9", "exit code -311": the words decide, even
	// when the number is unknown.
	if hits, ok := b.resolvePrefixed(tokens(q)); ok {
		return hits
	}
	if hits := b.resolveToken(q); len(hits) > 0 {
		return hits
	}
	// What people paste: a message text, an exception name, a vssadmin
	// "Last error" label.
	if hits := b.resolvePasted(q); len(hits) > 0 {
		return hits
	}
	// A situation names a writer and what happened to it ("System Writer
	// missing"), so it is tried before the writer alone.
	if hits := b.situationsMatching(q); len(hits) > 0 {
		return hits
	}
	if hits := b.writersNamed(strings.Join(tokens(q), " ")); len(hits) > 0 {
		return hits
	}
	// "0x800423f2 (VSS_E_WRITERERROR_TIMEOUT)": try each code-like word.
	var hits []hit
	for _, tok := range tokens(q) {
		if len(tok) < 3 {
			continue
		}
		for _, h := range b.resolveToken(tok) {
			if !slices.ContainsFunc(hits, func(o hit) bool { return o.key() == h.key() }) {
				hits = append(hits, h)
			}
		}
	}
	if len(hits) > 0 {
		return hits
	}
	return b.resolveWord(q)
}

// cleanQuery trims, drops quotes and cuts the query to maxQuery bytes on a
// rune boundary.
func cleanQuery(q string) string {
	q = strings.ToValidUTF8(q, "")
	if len(q) > maxQuery {
		q = q[:maxQuery]
		q = strings.ToValidUTF8(q, "")
	}
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(q), "`'\"「」"))
}

// tokens splits a lower-cased query on spaces and punctuation that never
// belongs to a code, a name or a number.
func tokens(q string) []string {
	return strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:#()[]=「」：、。", r)
	})
}

// resolvePrefixed handles "<words> <number>": exit code, event and state
// queries. ok is false when the words are not such a prefix.
func (b *Base) resolvePrefixed(toks []string) ([]hit, bool) {
	if len(toks) < 2 {
		return nil, false
	}
	n, err := strconv.Atoi(toks[len(toks)-1])
	if err != nil {
		return nil, false
	}
	words := strings.Join(slices.DeleteFunc(slices.Clone(toks[:len(toks)-1]), func(t string) bool { return t == "id" }), " ")
	switch words {
	case "exit code", "exitcode", "aip exit code", "終了コード", "exit", "code":
		if c, ok := b.codes[strconv.Itoa(n)]; ok && c.Kind == kindExitCode {
			return []hit{{code: c}}, true
		}
		return nil, true
	case "state", "status", "writer state", "状態", "ステータス":
		if s, ok := b.states[n]; ok {
			return []hit{{state: s}}, true
		}
		return nil, true
	case "event", "イベント", "eventid":
		return b.eventsNumbered("", n), true
	}
	provider := providerKey(strings.TrimSuffix(strings.TrimSuffix(words, " event"), " イベント"))
	if !b.isProvider(provider) {
		return nil, false
	}
	return b.eventsNumbered(provider, n), true
}

// isProvider reports whether some event comes from provider (lower case).
func (b *Base) isProvider(provider string) bool {
	for k := range b.events {
		if k.provider == provider {
			return true
		}
	}
	return false
}

// eventsNumbered returns the events with id n, of provider when not empty.
func (b *Base) eventsNumbered(provider string, n int) []hit {
	var out []hit
	for k, e := range b.events {
		if k.id == n && (provider == "" || k.provider == provider) {
			out = append(out, hit{event: e})
		}
	}
	slices.SortFunc(out, func(a, c hit) int { return strings.Compare(a.event.Provider, c.event.Provider) })
	return out
}

// resolveToken resolves one code, number, GUID or symbolic name.
func (b *Base) resolveToken(t string) []hit {
	lower := strings.ToLower(t)
	if guidQuery().MatchString(lower) {
		if w, ok := b.writers[normalizeGUID(lower)]; ok {
			return []hit{{writer: w}}
		}
		return nil
	}
	if code, ok := hexCode(lower); ok {
		if c, ok := b.codes[code]; ok {
			return []hit{{code: c}}
		}
		return nil
	}
	if n, err := strconv.ParseInt(lower, 10, 64); err == nil {
		return b.resolveNumber(lower, n)
	}
	if code, ok := b.CodeOf(t); ok {
		return []hit{{code: b.codes[code]}}
	}
	if v, ok := b.stateNames[normalizeName(t)]; ok {
		return []hit{{state: b.states[v]}}
	}
	if r, ok := b.registry[lower]; ok {
		return []hit{{registry: r}}
	}
	if s, ok := b.situations[lower]; ok {
		return []hit{{situation: s}}
	}
	return nil
}

// situationsMatching returns the situations one of whose match phrases has
// every word in the query, best (longest phrase) first. Japanese is written
// without spaces, so a Japanese word counts when the query contains it.
func (b *Base) situationsMatching(q string) []hit {
	lower := strings.ToLower(q)
	have := map[string]bool{}
	for _, t := range tokens(q) {
		have[t] = true
	}
	present := func(w string) bool { return have[w] || (lang.HasJapanese(w) && strings.Contains(lower, w)) }
	type scored struct {
		s     *situationEntry
		words int
	}
	var found []scored
	for _, id := range b.situationIDs() {
		s := b.situations[id]
		best := 0
		for _, m := range s.Match {
			words := tokens(m)
			if len(words) > best && !slices.ContainsFunc(words, func(w string) bool { return !present(w) }) {
				best = len(words)
			}
		}
		if best > 0 {
			found = append(found, scored{s, best})
		}
	}
	slices.SortStableFunc(found, func(a, c scored) int { return c.words - a.words })
	out := make([]hit, 0, len(found))
	for _, f := range found {
		if f.words == found[0].words { // only the best-matching ones
			out = append(out, hit{situation: f.s})
		}
	}
	return out
}

// situationIDs lists situation ids sorted, for stable answers.
func (b *Base) situationIDs() []string {
	ids := make([]string, 0, len(b.situations))
	for id := range b.situations {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// resolveNumber tries a decimal as an HRESULT (signed or unsigned), an exit
// code, an event id, and last as eight hex digits without their 0x.
func (b *Base) resolveNumber(s string, n int64) []hit {
	if n >= -1<<31 && n < 1<<32 {
		if c, ok := b.codes[fmt.Sprintf("0x%08x", uint32(n))]; ok && c.Kind == kindHRESULT {
			return []hit{{code: c}}
		}
	}
	if c, ok := b.codes[strconv.FormatInt(n, 10)]; ok && c.Kind == kindExitCode {
		return []hit{{code: c}}
	}
	if n > 0 && n < 1<<20 {
		if hits := b.eventsNumbered("", int(n)); len(hits) > 0 {
			return hits
		}
	}
	if len(s) == 8 {
		if c, ok := b.codes["0x"+s]; ok {
			return []hit{{code: c}}
		}
	}
	return nil
}

// hexCode reads "0x800423f2", "0x800423f2l" or "800423f2" (eight digits
// holding at least one letter, so decimals stay decimals) as a canonical
// HRESULT.
func hexCode(s string) (string, bool) {
	s = strings.TrimSuffix(s, "l")
	digits, prefixed := strings.CutPrefix(s, "0x")
	if !prefixed && (len(digits) != 8 || !strings.ContainsAny(digits, "abcdef")) {
		return "", false
	}
	if len(digits) == 0 || len(digits) > 8 {
		return "", false
	}
	v, err := strconv.ParseUint(digits, 16, 32)
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("0x%08x", v), true
}

// writersNamed matches a writer name or alias exactly, then partially.
func (b *Base) writersNamed(q string) []hit {
	if id, ok := b.writerKeys[q]; ok {
		return []hit{{writer: b.writers[id]}}
	}
	if len([]rune(q)) < 3 {
		return nil
	}
	var out []hit
	var rank []int
	for _, id := range b.writerIDs() {
		w := b.writers[id]
		for i, n := range append([]string{w.Name}, w.Aliases...) {
			n = strings.ToLower(n)
			if strings.Contains(n, q) || strings.Contains(q, n) {
				out = append(out, hit{writer: w})
				rank = append(rank, partialRank(n, q, i == 0))
				break
			}
		}
	}
	if len(out) > maxPartial {
		return nil
	}
	// A writer whose own name starts with the query reads first: "system"
	// is System Writer before Automated System Recovery (ASR) Writer.
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, c int) int { return rank[a] - rank[c] })
	sorted := make([]hit, 0, len(out))
	for _, i := range idx {
		sorted = append(sorted, out[i])
	}
	return sorted
}

// partialRank orders partial matches: the writer's name starting with the
// query, then an alias starting with it, then anything else.
func partialRank(name, q string, primary bool) int {
	switch {
	case strings.HasPrefix(name, q) && primary:
		return 0
	case strings.HasPrefix(name, q):
		return 1
	}
	return 2
}

// writerIDs lists writer ids sorted by writer name, for stable answers.
func (b *Base) writerIDs() []string {
	ids := make([]string, 0, len(b.writers))
	for id := range b.writers {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, c string) int { return strings.Compare(b.writers[a].Name, b.writers[c].Name) })
	return ids
}
