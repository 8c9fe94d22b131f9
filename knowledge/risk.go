package knowledge

import (
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// riskyAction is a command or service action that can hurt a customer's
// server: a step that names one must carry a warning saying what it
// interrupts or loses and when to do it.
type riskyAction struct {
	what    string
	command func() *regexp.Regexp // the action itself, or the service it acts on; compiled on first use
	verb    bool                  // the service matters only when it is restarted or stopped
	// needles are lowercase words one of which command needs: most steps
	// hold none, and the case-folding regexp is left unrun (it made up
	// most of the YAML decode's time).
	needles []string
}

var (
	stopVerb     = lazyRegexp(`(?i)restart|stop|再起動|停止`)
	riskyActions = []riskyAction{
		{"vssadmin resize shadowstorage", lazyRegexp(`(?i)vssadmin\s+resize\s+shadowstorage`), false, []string{"vssadmin"}},
		{"vssadmin delete shadows", lazyRegexp(`(?i)vssadmin\s+delete\s+shadows`), false, []string{"vssadmin"}},
		{"a restart of the Cluster service", lazyRegexp(`(?i)clussvc|cluster service|クラスター サービス`), true,
			[]string{"clussvc", "cluster service", "クラスター サービス"}},
		{"a restart of NTDS (AD DS)", lazyRegexp(`(?i)\bntds\b|active directory domain services|ad ds\b|ドメイン サービス`), true,
			[]string{"ntds", "active directory domain services", "ad ds", "ドメイン サービス"}},
		{"a restart of Exchange's Information Store", lazyRegexp(`(?i)msexchangeis|information store|インフォメーション ストア`), true,
			[]string{"msexchangeis", "information store", "インフォメーション ストア"}},
		{"a restart of Exchange's Replication service", lazyRegexp(`(?i)msexchangerepl|exchange replication|replication サービス`), true,
			[]string{"msexchangerepl", "exchange replication", "replication サービス"}},
		{"a restart of the Hyper-V Virtual Machine Management service", lazyRegexp(`(?i)\bvmms\b|virtual machine management`), true,
			[]string{"vmms", "virtual machine management"}},
		{"a restart of Active Directory Certificate Services", lazyRegexp(`(?i)certsvc|certificate services`), true,
			[]string{"certsvc", "certificate services"}},
		{"a restart of the DFS Replication service", lazyRegexp(`(?i)\bdfsr\b|dfs replication`), true,
			[]string{"dfsr", "dfs replication"}},
		{"a restart of IIS", lazyRegexp(`(?i)iisreset|\bw3svc\b|apphostsvc|iisadmin`), true,
			[]string{"iisreset", "w3svc", "apphostsvc", "iisadmin"}},
		{"a restart of SQL Server", lazyRegexp(`(?i)mssqlserver|mssql\$|sql server service|sql server サービス|sql server instance|sql server インスタンス|sql server の再起動|restart sql server`), true,
			[]string{"mssql", "sql server"}},
	}
)

// riskIn names the risky action a step's text performs, or "".
func riskIn(text string) string {
	lower := strings.ToLower(text)
	for _, r := range riskyActions {
		if !slices.ContainsFunc(r.needles, func(n string) bool { return strings.Contains(lower, n) }) {
			continue
		}
		if r.command().MatchString(text) && (!r.verb || stopVerb().MatchString(text)) {
			return r.what
		}
	}
	return ""
}

// step checks one step: a bilingual text, an optional bilingual warning and
// an optional source label.
func (d *decoder) step(key string, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		d.problem(v.Line, "%s must be a mapping with ja and en", key)
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], deref(v.Content[i+1])
		switch k.Value {
		case "ja", "en":
		case "warning":
			d.text(key+" warning", val)
		case "source":
			d.shape(key+" source", fString, val)
		default:
			d.problem(k.Line, "unknown field %q in %s", k.Value, key)
		}
	}
	for _, want := range []string{"ja", "en"} {
		s := value(v, want)
		switch {
		case s == nil:
			d.problem(v.Line, "%s: missing %s", key, want)
		case deref(s).Kind != yaml.ScalarNode || isNull(deref(s)) || strings.TrimSpace(deref(s).Value) == "":
			d.problem(s.Line, "%s: empty %s", key, want)
		}
	}
}

// checkSteps reports risky steps without a warning, and sources that no
// reference of the entry is labelled with.
func (d *decoder) checkSteps(item *yaml.Node) {
	labels := map[string]bool{}
	for _, r := range deref(orEmpty(value(item, "references"))).Content {
		if l, _, ok := scalar(deref(r), "label"); ok {
			labels[l] = true
		}
	}
	var all []*yaml.Node
	if steps := deref(orEmpty(value(item, "steps"))); steps.Kind == yaml.SequenceNode {
		all = append(all, steps.Content...)
	}
	if adv := value(item, "advice"); adv != nil {
		all = append(all, adv)
	}
	if resets := deref(orEmpty(value(item, "resets"))); resets.Kind == yaml.SequenceNode {
		for _, r := range resets.Content {
			if st := value(deref(r), "step"); st != nil {
				all = append(all, st)
			}
		}
	}
	for _, s := range all {
		s = deref(s)
		if s.Kind != yaml.MappingNode {
			continue
		}
		en, _, _ := scalar(s, "en")
		ja, _, _ := scalar(s, "ja")
		if what := riskIn(en + "\n" + ja); what != "" && value(s, "warning") == nil {
			d.problem(s.Line, "step runs %s without a warning: say what it interrupts or loses and when to do it", what)
		}
		if src, line, ok := scalar(s, "source"); ok && !labels[src] {
			d.problem(line, "step source %q is not the label of one of the entry's references", src)
		}
	}
}
