package bot

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/memory"
)

const (
	// shownNotes is how many notes an answer shows per code, newest first.
	shownNotes = 3
	// notedCodes bounds the codes of one answer whose notes are read.
	notedCodes = 3
)

// noteReply serves `/vss note CODE text`, `/vss notes CODE` and
// `/vss note remove ID`; ok is false when the command is none of them.
func (e *Engine) noteReply(ctx context.Context, ev Event, text string) (r *answer.Outline, ok bool) {
	words := strings.Fields(text)
	if len(words) == 0 {
		return nil, false
	}
	verb := strings.ToLower(words[0])
	if verb != "note" && verb != "notes" {
		return nil, false
	}
	l := e.fixedLanguage(ev)
	if e.opts.Memory == nil {
		return notice(answer.Help, l, "Team notes need the team memory, which is off here (memory.dsn).",
			"チームのメモにはチームの記録 (memory.dsn) が必要ですが、無効になっています。"), true
	}
	switch {
	case verb == "notes" && len(words) >= 2:
		return e.listNotes(ctx, ev, l, words[1]), true
	case verb == "note" && len(words) >= 3 && slices.Contains([]string{"remove", "rm", "delete", "削除"}, strings.ToLower(words[1])):
		return e.removeNote(ctx, ev, l, words[2]), true
	case verb == "note" && len(words) >= 3:
		return e.addNote(ctx, ev, l, words[1], afterWords(text, 2)), true
	}
	return noteUsage(l), true
}

// afterWords returns text after its first n words, as the user wrote it.
func afterWords(text string, n int) string {
	s := strings.TrimSpace(text)
	for range n {
		i := strings.IndexFunc(s, isSpace)
		if i < 0 {
			return ""
		}
		s = strings.TrimLeftFunc(s[i:], isSpace)
	}
	return s
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '　' }

func noteUsage(l lang.Tag) *answer.Outline {
	return answer.Notice(answer.Help, l, l.Pick("Team notes keep your team's own words on a code.", "チームのメモには、コードについてのチーム独自の知見を残せます。"),
		l.Pick("How to use team notes", "チームのメモの使い方"),
		l.Pick("`/vss note 0x800423f2 text` keeps a note on a code.", "`/vss note 0x800423f2 本文` でコードにメモを残します。"),
		l.Pick("`/vss notes 0x800423f2` lists a code's notes with their ids.", "`/vss notes 0x800423f2` でコードのメモを ID 付きで一覧します。"),
		l.Pick("`/vss note remove ID` removes a note you wrote (admins may remove any).", "`/vss note remove ID` で自分のメモを削除します (管理者はどのメモも削除できます)。"))
}

// noteCode resolves what the user typed to the code an answer shows.
func (e *Engine) noteCode(q string, l lang.Tag) (string, bool) {
	kb, _ := e.src.Current()
	rep := kb.Lookup([]string{q}, l)
	for _, d := range rep.Diagnoses {
		if d.Code != "" && d.Kind != "writer" && d.Kind != "writer_state" {
			return d.Code, true
		}
	}
	return "", false
}

func (e *Engine) addNote(ctx context.Context, ev Event, l lang.Tag, q, text string) *answer.Outline {
	code, ok := e.noteCode(q, l)
	if !ok {
		return notice(answer.Help, l, "Notes are kept on codes the knowledge base knows, such as 0x800423f2, -311 or event 8229.",
			"メモは 0x800423f2、-311、event 8229 のような、ナレッジベースにあるコードに残せます。")
	}
	n, err := e.opts.Memory.AddNote(ctx, memory.Note{Platform: ev.Target.Platform, Workspace: scopeOf(ev),
		Code: code, Author: ev.User, Text: text, At: e.now()})
	switch {
	case errors.Is(err, memory.ErrNoteEmpty):
		return noteUsage(l)
	case errors.Is(err, memory.ErrNoteTooLong):
		return notice(answer.Help, l, "That note is too long: keep it under 300 characters.", "メモが長すぎます。300 文字以内にしてください。")
	case errors.Is(err, memory.ErrTooManyNotes):
		return notice(answer.Help, l, "This code already has as many notes as it can keep: remove an old one first.",
			"このコードのメモは上限に達しています。古いメモを削除してから追加してください。")
	case err != nil:
		return e.noteFailed(ev, l, err)
	}
	r := notice(answer.Lookup, l, "Note "+n.ID+" kept on "+code+"; answers about it will show it under Team notes.",
		"メモ "+n.ID+" を "+code+" に残しました。このコードの回答の「チームのメモ」に表示されます。")
	r.Private = true // a confirmation is for its author only
	return r
}

func (e *Engine) listNotes(ctx context.Context, ev Event, l lang.Tag, q string) *answer.Outline {
	code, ok := e.noteCode(q, l)
	if !ok {
		return notice(answer.Help, l, "Notes are kept on codes the knowledge base knows, such as 0x800423f2, -311 or event 8229.",
			"メモは 0x800423f2、-311、event 8229 のような、ナレッジベースにあるコードに残せます。")
	}
	notes, err := e.opts.Memory.Notes(ctx, ev.Target.Platform, scopeOf(ev), code, 0)
	if err != nil {
		return e.noteFailed(ev, l, err)
	}
	if len(notes) == 0 {
		return notice(answer.Lookup, l, "No team notes on "+code+" yet.", code+" にはまだチームのメモがありません。")
	}
	s := noteSection(code, notes, l, true)
	return &answer.Outline{Kind: answer.Lookup, Lang: l, Headline: s.Title, Sections: []answer.Section{s}, Footer: "vssbot"}
}

func (e *Engine) removeNote(ctx context.Context, ev Event, l lang.Tag, id string) *answer.Outline {
	// An empty user id is nobody, least of all an admin.
	admin := ev.User != "" && (slices.Contains(e.opts.NoteAdmins, ev.User) || slices.Contains(e.opts.NoteAdmins, ev.Target.Platform+":"+ev.User))
	n, err := e.opts.Memory.RemoveNote(ctx, ev.Target.Platform, scopeOf(ev), id, ev.User, admin)
	switch {
	case errors.Is(err, memory.ErrUnknownNote):
		return notice(answer.Help, l, "There is no note with that id here.", "その ID のメモはここにはありません。")
	case errors.Is(err, memory.ErrNotAuthor):
		return notice(answer.Help, l, "Only the note's author or an admin can remove it.", "メモを削除できるのは、書いた本人か管理者だけです。")
	case err != nil:
		return e.noteFailed(ev, l, err)
	}
	return notice(answer.Lookup, l, "Note "+n.ID+" on "+n.Code+" removed.", n.Code+" のメモ "+n.ID+" を削除しました。")
}

func (e *Engine) noteFailed(ev Event, l lang.Tag, err error) *answer.Outline {
	e.log.Warn("team notes unavailable", "platform", ev.Target.Platform, "err", err)
	return notice(answer.Failure, l, "Team notes are unavailable right now; please try again later.",
		"チームのメモを今は利用できません。しばらくしてからもう一度お試しください。")
}

// noteSection shows notes as the team's words, never the knowledge
// base's; ids are listed for removal.
func noteSection(code string, notes []memory.Note, l lang.Tag, ids bool) answer.Section {
	items := make([]string, len(notes))
	for i, n := range notes {
		by := answer.Mention(n.Author)
		if by == "" {
			by = l.Pick("someone", "不明")
		}
		items[i] = answer.Untrusted(n.Text) + " — " + by + ", " + n.At.UTC().Format("2006-01-02")
		if ids {
			items[i] += " (id " + n.ID + ")"
		}
	}
	return answer.Section{
		Title: l.Pick("Team notes: ", "チームのメモ: ") + code,
		Lines: []string{l.Pick("Written by your team, not part of the knowledge base.", "チームのメンバーが書いたもので、ナレッジベースの内容ではありません。")},
		Lists: []answer.List{{Label: l.Pick("Notes", "メモ"), Items: items}},
	}
}

// addTeamNotes adds under an answer the newest notes on the codes it
// explains. A notebook that fails leaves the answer as it is.
func (e *Engine) addTeamNotes(ctx context.Context, ev Event, rep *knowledge.Report, r *answer.Outline) {
	if e.opts.Memory == nil || rep == nil {
		return
	}
	var codes []string
	for _, d := range rep.Diagnoses {
		if d.Code != "" && d.Kind != "writer" && d.Kind != "writer_state" && !slices.Contains(codes, d.Code) && len(codes) < notedCodes {
			codes = append(codes, d.Code)
		}
	}
	for _, code := range codes {
		notes, err := e.opts.Memory.Notes(ctx, ev.Target.Platform, scopeOf(ev), code, shownNotes)
		if err != nil {
			e.log.Warn("team notes not read", "platform", ev.Target.Platform, "err", err)
			return
		}
		if len(notes) > 0 {
			// The team's notes are part of the first screen, right after
			// what to do first.
			at := min(max(r.Lead, 0), len(r.Sections))
			r.Sections = slices.Insert(r.Sections, at, noteSection(code, notes, r.Lang, false))
			r.Lead = at + 1
		}
	}
}
