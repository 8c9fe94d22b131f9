package knowledge

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// nearestCount is how many suggestions an unknown query gets.
const nearestCount = 3

// candidate is a known entry offered as a suggestion.
type candidate struct {
	label string
	dist  float64
}

// unknown explains that a query matched nothing and suggests the nearest
// known entries: by numeric distance for a number, by edit distance for a
// name.
func (b *Base) unknown(query string, l lang.Tag) Unknown {
	q := cleanQuery(query)
	u := Unknown{Query: shown(query)}
	var cands []candidate
	if kind, provider, n, ok := b.prefixedKind(tokens(q)); ok {
		cands = b.nearOfKind(kind, provider, n)
	} else if v, ok := queryNumber(q); ok {
		cands = b.numericallyNear(v)
		if code, ok := hexCode(strings.ToLower(q)); ok && parse.InVSSRange(code) {
			u.Message = fmt.Sprintf(l.Pick("%s is in the VSS error range (0x80042300-0x800424ff) but is not in the knowledge base. Check the Windows Application event log for the VSS error that came with it.",
				"%s は VSS のエラー範囲 (0x80042300-0x800424ff) にありますが、ナレッジベースにはありません。同時刻の Windows アプリケーション イベント ログで VSS のエラーを確認してください。"), code)
		}
	} else {
		cands = b.namedNear(q)
	}
	if u.Message == "" {
		u.Message = fmt.Sprintf(l.Pick("%q is not known: it is neither a code, a writer, a writer state nor an event in the knowledge base.",
			"「%s」は不明です。ナレッジベースのコード、ライター、ライターの状態、イベントのいずれにも該当しません。"), q)
	}
	slices.SortStableFunc(cands, func(a, c candidate) int {
		return cmp.Or(cmp.Compare(a.dist, c.dist), strings.Compare(a.label, c.label))
	})
	u.Nearest = []string{}
	for _, c := range cands {
		if len(u.Nearest) == nearestCount {
			break
		}
		if !slices.Contains(u.Nearest, c.label) {
			u.Nearest = append(u.Nearest, c.label)
		}
	}
	return u
}

// prefixedKind reads "VolSnap 99", "event 9999", "state 42", "exit code
// -312": the kind of entry the query asks for, the event provider if one
// was named, and the number.
func (b *Base) prefixedKind(toks []string) (kind, provider string, n int, ok bool) {
	if len(toks) < 2 {
		return "", "", 0, false
	}
	n, err := strconv.Atoi(toks[len(toks)-1])
	if err != nil {
		return "", "", 0, false
	}
	words := strings.Join(slices.DeleteFunc(slices.Clone(toks[:len(toks)-1]), func(t string) bool { return t == "id" }), " ")
	switch words {
	case "exit code", "exitcode", "aip exit code", "終了コード", "exit", "code":
		return kindExitCode, "", n, true
	case "state", "status", "writer state", "状態", "ステータス":
		return kindWriterState, "", n, true
	case "event", "イベント", "eventid":
		return kindEvent, "", n, true
	}
	provider = providerKey(strings.TrimSuffix(strings.TrimSuffix(words, " event"), " イベント"))
	if b.isProvider(provider) {
		return kindEvent, provider, n, true
	}
	return "", "", 0, false
}

// nearOfKind ranks the entries of one kind by numeric distance to n.
func (b *Base) nearOfKind(kind, provider string, n int) []candidate {
	var out []candidate
	dist := func(x int) float64 { return math.Abs(float64(x) - float64(n)) }
	switch kind {
	case kindEvent:
		for k, e := range b.events {
			if provider == "" || k.provider == provider {
				out = append(out, candidate{label: e.Provider + " " + strconv.Itoa(e.ID), dist: dist(e.ID)})
			}
		}
	case kindWriterState:
		for v, s := range b.states {
			out = append(out, candidate{label: fmt.Sprintf("state %d %s", v, s.Name), dist: dist(v)})
		}
	case kindExitCode:
		for _, c := range b.codes {
			if x, err := strconv.Atoi(c.Code); err == nil && c.Kind == kindExitCode {
				out = append(out, candidate{label: codeLabel(c), dist: dist(x)})
			}
		}
	}
	return out
}

// shown is a query as it may be echoed back: valid UTF-8, at most maxQuery
// bytes.
func shown(q string) string {
	q = oneLine(strings.ToValidUTF8(q, "\uFFFD"))
	if len(q) <= maxQuery {
		return q
	}
	return strings.ToValidUTF8(q[:maxQuery], "") + "…"
}

// queryNumber reads a query as a number: hex HRESULT or signed decimal.
func queryNumber(q string) (int64, bool) {
	toks := tokens(q)
	if len(toks) == 0 {
		return 0, false
	}
	last := toks[len(toks)-1]
	if code, ok := hexCode(last); ok {
		v, err := strconv.ParseUint(code[2:], 16, 32)
		return int64(v), err == nil
	}
	v, err := strconv.ParseInt(last, 10, 64)
	return v, err == nil
}

// numericallyNear ranks codes by distance: HRESULTs as unsigned 32-bit
// values (a negative query is its two's complement), exit codes as signed.
func (b *Base) numericallyNear(v int64) []candidate {
	asHR := float64(uint32(v))
	if v >= 1<<32 || v < -1<<31 {
		asHR = math.Inf(1)
	}
	var out []candidate
	for _, code := range b.codeList() {
		c := b.codes[code]
		d := math.Inf(1)
		switch c.Kind {
		case kindHRESULT:
			if x, err := strconv.ParseUint(code[2:], 16, 32); err == nil {
				d = math.Abs(float64(x) - asHR)
			}
		case kindExitCode:
			if x, err := strconv.ParseInt(code, 10, 64); err == nil {
				d = math.Abs(float64(x) - float64(v))
			}
		}
		out = append(out, candidate{label: codeLabel(c), dist: d})
	}
	return out
}

func codeLabel(c *codeEntry) string { return strings.TrimSpace(c.Code + " " + c.Name) }

// namedNear ranks codes, states and writers by the edit distance between
// the query and their names.
func (b *Base) namedNear(q string) []candidate {
	n := normalizeName(q)
	var out []candidate
	for _, code := range b.codeList() {
		c := b.codes[code]
		if c.Name == "" {
			continue // exit codes have no name to be near to
		}
		full := strings.ToUpper(c.Name)
		d := min(editDistance(n, full), editDistance(n, stripPrefix(full)))
		out = append(out, candidate{label: codeLabel(c), dist: float64(d)})
	}
	for v, s := range b.states {
		full := strings.ToUpper(s.Name)
		d := min(editDistance(n, full), editDistance(n, strings.TrimPrefix(full, "VSS_WS_")))
		out = append(out, candidate{label: fmt.Sprintf("state %d %s", v, s.Name), dist: float64(d)})
	}
	for _, w := range b.writers {
		d := editDistance(n, normalizeName(w.Name))
		for _, a := range w.Aliases {
			d = min(d, editDistance(n, normalizeName(a)))
		}
		out = append(out, candidate{label: w.Name + " " + w.ID, dist: float64(d)})
	}
	for _, r := range b.registry {
		out = append(out, candidate{label: r.Name, dist: float64(editDistance(n, normalizeName(r.Name)))})
	}
	for id := range b.situations {
		out = append(out, candidate{label: id, dist: float64(editDistance(n, normalizeName(id)))})
	}
	return out
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
