package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/parse"
)

// messageSource names a message's own text in findings.
const messageSource = "message"

// answer computes the reply to an admitted event.
func (e *Engine) answer(ctx context.Context, ev Event) (*Reply, bool) {
	lang := e.language(ev.Target.Channel)
	if ev.Kind != Command {
		r, found := e.diagnose(ctx, ev, lang)
		switch {
		case found:
			return r, true
		case ev.Mentioned:
			return nothingFoundReply(resolve(lang, ev.Text)), true
		}
		return nil, false
	}
	text := strings.TrimSpace(ev.Text)
	switch {
	case len(ev.Attachments) > 0 || isPasted(text):
		if r, found := e.diagnose(ctx, ev, lang); found {
			return r, true
		}
		return nothingFoundReply(resolve(lang, text)), true
	}
	queries := splitQueries(text)
	if len(queries) == 0 || isHelp(text) {
		return usageReply(resolve(lang, text)), true
	}
	rep := e.kb.Lookup(queries, resolve(lang, text))
	return NewReply(rep, Lookup), true
}

// language is the configured language of a channel, possibly Auto.
func (e *Engine) language(channel string) knowledge.Lang {
	if l, ok := e.opts.ChannelLanguages[channel]; ok && valid(normalize(l)) {
		return normalize(l)
	}
	if l := normalize(e.opts.Language); valid(l) {
		return l
	}
	return knowledge.Auto
}

// fixedLanguage is the language of a short answer that reads no input.
func (e *Engine) fixedLanguage(ev Event) knowledge.Lang {
	return resolve(e.language(ev.Target.Channel), ev.Text)
}

func valid(l knowledge.Lang) bool {
	return l == knowledge.Japanese || l == knowledge.English || l == knowledge.Auto
}

// normalize accepts a configured language in any case.
func normalize(l knowledge.Lang) knowledge.Lang {
	return knowledge.Lang(strings.ToLower(strings.TrimSpace(string(l))))
}

// resolve turns Auto into Japanese when text has Japanese in it.
func resolve(lang knowledge.Lang, text string) knowledge.Lang {
	if lang != knowledge.Auto {
		return lang
	}
	if hasJapanese(text) {
		return knowledge.Japanese
	}
	return knowledge.English
}

// diagnose parses the event's text and attachments. found is false when
// there is nothing to say: no recognisable evidence and no input that
// failed to read.
func (e *Engine) diagnose(ctx context.Context, ev Event, lang knowledge.Lang) (r *Reply, found bool) {
	var results []*parse.Result
	var problems []problem
	if strings.TrimSpace(ev.Text) != "" {
		res, err := e.parser.Parse(ctx, messageSource, strings.NewReader(ev.Text))
		results = appendResult(results, res)
		if err != nil {
			problems = append(problems, e.readFailed(ctx, ev, messageSource, err, false))
		}
	}
	for _, a := range ev.Attachments {
		res, p := e.readAttachment(ctx, ev, a)
		results = appendResult(results, res)
		if p != nil {
			problems = append(problems, *p)
		}
	}
	merged := &parse.Result{}
	if len(results) > 0 {
		merged = parse.Merge(results...)
	}
	if lang == knowledge.Auto {
		lang = knowledge.English
		// The user's own words count as much as the log's: a Japanese
		// sentence above an English log asks for a Japanese answer.
		if merged.Japanese || hasJapanese(ev.Text) || slices.ContainsFunc(results, func(r *parse.Result) bool { return r.Japanese }) {
			lang = knowledge.Japanese
		}
	}
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.text(lang, e.opts.MaxAttachmentBytes)
	}
	if !recognised(merged.Findings, ev) {
		if len(lines) == 0 {
			return nil, false
		}
		return problemsReply(lang, lines), true
	}
	r = NewReply(e.kb.Diagnose(merged, lang), Diagnosis)
	if len(lines) > 0 {
		r.Sections = append(r.Sections, problemSection(lang, lines))
	}
	return r, true
}

func appendResult(rs []*parse.Result, r *parse.Result) []*parse.Result {
	if r == nil {
		return rs
	}
	return append(rs, r)
}

// recognised reports whether findings deserve an answer. A writer merely
// named in conversation does not, unless the user asked the bot or sent a
// file.
func recognised(fs []parse.Finding, ev Event) bool {
	if ev.Mentioned || ev.Kind == Command || len(ev.Attachments) > 0 {
		return len(fs) > 0
	}
	return slices.ContainsFunc(fs, func(f parse.Finding) bool { return f.Kind != parse.KindWriter })
}
