package answer_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/internal/chattest"
	goldenfile "github.com/vssbot/vssbot/internal/golden"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// TestWriteGolden lays the shared answers out as CLI text and Markdown; the
// console, Slack and Discord lay out the same answers in their own tests.
func TestWriteGolden(t *testing.T) {
	for _, c := range chattest.Cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			var text, md bytes.Buffer
			if err := answer.WriteText(&text, c.Outline, false); err != nil {
				t.Fatal(err)
			}
			goldenfile.Check(t, filepath.Join("testdata", c.Name+".txt"), text.Bytes())
			chattest.SaidOnce(t, text.String(), c.Report)
			if err := answer.WriteMarkdown(&md, c.Outline); err != nil {
				t.Fatal(err)
			}
			goldenfile.Check(t, filepath.Join("testdata", c.Name+".md"), md.Bytes())
			chattest.SaidOnce(t, md.String(), c.Report)
		})
	}
}

// TestSaidOnceCatchesRepeats keeps the repeat check honest: the answer
// that stated the VssStart-to-failure span in a note and in the details
// must fail it.
func TestSaidOnceCatchesRepeats(t *testing.T) {
	c := chattest.Cases(t)[0]
	o := *c.Outline
	o.Details.Items = append(o.Details.Items, "169.351 s from VssStart() to the failure (message:3)")
	var text bytes.Buffer
	if err := answer.WriteText(&text, &o, false); err != nil {
		t.Fatal(err)
	}
	var ft fakeT
	chattest.SaidOnce(&ft, text.String(), c.Report)
	if !ft.failed {
		t.Error("SaidOnce accepted an answer stating one fact twice")
	}
}

type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Errorf(string, ...any) { f.failed = true }

func TestWriteTextColor(t *testing.T) {
	o := chattest.Cases(t)[0].Outline
	var plain, color bytes.Buffer
	if err := answer.WriteText(&plain, o, false); err != nil {
		t.Fatal(err)
	}
	if err := answer.WriteText(&color, o, true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain text holds ANSI escapes")
	}
	if !strings.Contains(color.String(), "\x1b[1m"+o.Headline+"\x1b[0m") {
		t.Error("colored text does not embolden the headline")
	}
}

func TestMarkdownQuotesLogText(t *testing.T) {
	kb, err := chattest.KB()
	if err != nil {
		t.Fatal(err)
	}
	rep := kb.Diagnose(&parse.Result{Findings: []parse.Finding{{Kind: parse.KindWriterFailure, Code: "0x800423f3",
		Writer: "Evil `**Writer**`\n# heading", State: 9, Source: "x", Line: 1, Count: 1}}}, lang.English)
	var md bytes.Buffer
	if err := answer.WriteMarkdown(&md, answer.FromReport(rep, answer.Diagnosis)); err != nil {
		t.Fatal(err)
	}
	// Outside code spans, where it would format.
	outside := regexp.MustCompile("`[^`\n]*`").ReplaceAllString(md.String(), "")
	for _, bad := range []string{"\n# heading", "**Writer**"} {
		if strings.Contains(outside, bad) {
			t.Errorf("log text %q formats the answer:\n%s", bad, md.String())
		}
	}
}

func TestWriteError(t *testing.T) {
	o := chattest.Cases(t)[0].Outline
	if err := answer.WriteText(failWriter{}, o, false); err == nil {
		t.Error("WriteText ignored a write error")
	}
	if err := answer.WriteMarkdown(failWriter{}, o); err == nil {
		t.Error("WriteMarkdown ignored a write error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errFail }

var errFail = &failError{}

type failError struct{}

func (*failError) Error() string { return "write failed" }
