package bot

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// messageSource names a message's own text in findings.
const messageSource = "message"

// answer computes the reply to an admitted event.
func (e *Engine) answer(ctx context.Context, ev Event) (*answer.Outline, bool) {
	l := e.language(ev.Target.Channel)
	if ev.Kind != Command {
		r, found := e.diagnose(ctx, ev, l)
		switch {
		case found:
			return r, true
		case ev.Mentioned:
			return nothingFoundReply(e.fixedLanguage(ev)), true
		}
		return nil, false
	}
	text := strings.TrimSpace(ev.Text)
	if len(ev.Attachments) == 0 {
		if r, ok := e.noteReply(ctx, ev, text); ok {
			return r, true
		}
	}
	if len(ev.Attachments) > 0 || isPasted(text) {
		if r, found := e.diagnose(ctx, ev, l); found {
			return r, true
		}
		return nothingFoundReply(e.fixedLanguage(ev)), true
	}
	if period, ok := isStats(text); ok {
		return e.statsReply(ctx, ev, period, e.fixedLanguage(ev)), true
	}
	queries := splitQueries(text)
	if len(queries) == 0 || isHelp(text) {
		return usageReply(e.fixedLanguage(ev)), true
	}
	kb, _ := e.src.Current()
	rep := kb.Lookup(queries, e.fixedLanguage(ev))
	r := answer.Build(rep, answer.Lookup, e.opts.Answer)
	e.addTeamNotes(ctx, ev, rep, r)
	e.addSeenBefore(ctx, ev, r)
	return r, true
}

// localeWait bounds the look-up of a user's locale: an answer in the
// channel's language is better than a late one.
const localeWait = 2 * time.Second

// findLocale asks the replier for a command's user locale when the event
// did not bring it and no language is configured.
func (e *Engine) findLocale(j *job) {
	lf, ok := j.to.(LocaleFinder)
	if !ok || j.ev.Kind != Command || j.ev.Locale != "" || j.ev.User == "" || e.language(j.ev.Target.Channel) != lang.Auto {
		return
	}
	ctx, cancel := context.WithTimeout(e.base, localeWait)
	defer cancel()
	j.ev.Locale = lf.UserLocale(ctx, j.ev)
}

// localeLanguage is the answer language a platform locale asks for: Auto
// for a locale in neither language.
func localeLanguage(locale string) lang.Tag {
	l := strings.ToLower(locale)
	switch {
	case strings.HasPrefix(l, "ja"):
		return lang.Japanese
	case strings.HasPrefix(l, "en"):
		return lang.English
	}
	return lang.Auto
}

// language is the configured language of a channel, possibly Auto.
func (e *Engine) language(channel string) lang.Tag {
	// Channel ids are compared in any case: the settings' keys come
	// lower-cased from the config file.
	l, ok := e.opts.ChannelLanguages[channel]
	if !ok {
		l, ok = e.opts.ChannelLanguages[strings.ToLower(channel)]
	}
	if ok {
		if t, ok := lang.Parse(string(l)); ok {
			return t
		}
	}
	if t, ok := lang.Parse(string(e.opts.Language)); ok {
		return t
	}
	return lang.Auto
}

// fixedLanguage is the language of an answer that reads no log: the
// configured language, else the user's locale, else the user's own words.
func (e *Engine) fixedLanguage(ev Event) lang.Tag {
	l := e.language(ev.Target.Channel)
	if l == lang.Auto && !lang.HasJapanese(ev.Text) {
		l = localeLanguage(ev.Locale)
	}
	return l.Choose(lang.HasJapanese(ev.Text))
}

// diagnose parses the event's text and attachments. found is false when
// there is nothing to say: no recognisable evidence and no input that
// failed to read.
func (e *Engine) diagnose(ctx context.Context, ev Event, configured lang.Tag) (r *answer.Outline, found bool) {
	kb, parser := e.src.Current() // one base for the whole event
	var results []*parse.Result
	var problems []problem
	if strings.TrimSpace(ev.Text) != "" {
		res, err := parser.Parse(ctx, messageSource, strings.NewReader(ev.Text))
		results = appendResult(results, res)
		if err != nil {
			problems = append(problems, e.readFailed(ctx, ev, messageSource, err, false))
		}
	}
	for _, a := range ev.Attachments {
		res, p := e.readAttachment(ctx, ev, a, parser)
		results = appendResult(results, res)
		if p != nil {
			problems = append(problems, *p)
		}
	}
	merged := &parse.Result{}
	if len(results) > 0 {
		merged = parse.Merge(results...)
	}
	// The one decision of this answer's language. The user's own words
	// count as much as the log's: a Japanese sentence above an English log
	// asks for a Japanese answer.
	l := configured.Choose(merged.Japanese || lang.HasJapanese(ev.Text) ||
		slices.ContainsFunc(results, func(r *parse.Result) bool { return r.Japanese }))
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.text(l, e.opts.MaxAttachmentBytes)
	}
	if !recognised(merged.Findings, ev) {
		if len(lines) == 0 {
			return nil, false
		}
		return problemsReply(l, lines), true
	}
	rep := kb.Diagnose(merged, l)
	r = answer.Build(rep, answer.Diagnosis, e.opts.Answer)
	e.addTeamNotes(ctx, ev, rep, r)
	e.addSeenBefore(ctx, ev, r)
	if len(lines) > 0 {
		r.Sections = append(r.Sections, problemSection(l, lines))
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
