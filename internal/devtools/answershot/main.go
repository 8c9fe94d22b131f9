// Command answershot draws the golden payloads of the README's pictures
// (adapters/slack/testdata/pictures, adapters/discord/testdata/pictures) as
// HTML pages styled like each client, so that headless Chromium can take a
// picture of them: what a support engineer sees, not what the JSON says.
//
//	go run ./internal/devtools/answershot -out DIR
//
// writes DIR/slack-NAME.html and DIR/discord-NAME.html for every payload.
// scripts/answer-pictures.sh runs it and Chromium.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
)

func main() {
	out := flag.String("out", "", "directory for the HTML pages")
	root := flag.String("root", ".", "the repository")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "answershot: -out is required")
		os.Exit(2)
	}
	if err := run(*root, *out); err != nil {
		fmt.Fprintln(os.Stderr, "answershot:", err)
		os.Exit(1)
	}
}

func run(root, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	for _, p := range []struct {
		name string
		draw func([]byte, bool) (string, error)
	}{{"slack", slackPage}, {"discord", discordPage}} {
		files, err := filepath.Glob(filepath.Join(root, "adapters", p.name, "testdata", "pictures", "*.golden.json"))
		if err != nil {
			return err
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				return fmt.Errorf("read %s: %w", f, err)
			}
			// The whole answer, and its first message alone: the first
			// screen a long answer opens with.
			for _, first := range []bool{false, true} {
				page, err := p.draw(raw, first)
				if err != nil {
					return fmt.Errorf("draw %s: %w", f, err)
				}
				name := p.name + "-" + strings.TrimSuffix(filepath.Base(f), ".golden.json")
				if first {
					name += "-first"
				}
				if err := os.WriteFile(filepath.Join(out, name+".html"), []byte(page), 0o644); err != nil {
					return fmt.Errorf("write %s: %w", name, err)
				}
			}
		}
	}
	return nil
}

const pageHead = `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;padding:16px;width:720px;font:15px/1.46 "Noto Sans","Noto Sans CJK JP",sans-serif}
.msg{display:flex;gap:10px;margin-bottom:14px}.avatar{width:36px;height:36px;border-radius:6px;background:#4a7;flex:none;color:#fff;font-weight:700;text-align:center;line-height:36px}
.who{font-weight:700}.who small{font-weight:400;color:#888;margin-left:6px}
code{font:13px "Noto Sans Mono",monospace;background:rgba(128,128,128,.15);padding:1px 3px;border-radius:3px}
pre{font:12px "Noto Sans Mono",monospace;background:rgba(128,128,128,.12);padding:6px;border-radius:4px;white-space:pre-wrap}
a{color:#1d9bd1;text-decoration:none}
`

// slackPage draws Slack messages (Block Kit) in Slack's light theme.
func slackPage(raw []byte, first bool) (string, error) {
	var msgs []struct {
		Text   string            `json:"Text"`
		Blocks []json.RawMessage `json:"Blocks"`
	}
	if err := json.Unmarshal(raw, &msgs); err != nil {
		return "", err
	}
	if first && len(msgs) > 1 {
		msgs = msgs[:1]
	}
	var b strings.Builder
	b.WriteString(pageHead + `body{background:#fff;color:#1d1c1d}
.header{font-size:18px;font-weight:900;margin:4px 0}.section{margin:4px 0;white-space:pre-wrap}
.context{font-size:13px;color:#616061;white-space:pre-wrap;margin:4px 0}hr{border:0;border-top:1px solid #ddd}
.btn{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;margin:4px 6px 4px 0;font-weight:700;font-size:13px}
.btn.primary{background:#007a5a;color:#fff;border-color:#007a5a}.thread{border-left:3px solid #ddd;padding-left:12px;margin-left:46px}
</style></head><body>`)
	for i, m := range msgs {
		if i == 1 {
			b.WriteString(`<div class="thread"><div class="context">1 reply in thread</div>`)
		}
		b.WriteString(`<div class="msg"><div class="avatar">V</div><div><div class="who">vssbot <small>APP</small></div>`)
		for _, blk := range m.Blocks {
			b.WriteString(slackBlock(blk))
		}
		b.WriteString(`</div></div>`)
	}
	if len(msgs) > 1 {
		b.WriteString(`</div>`)
	}
	return b.String() + "</body></html>", nil
}

func slackBlock(raw json.RawMessage) string {
	var blk struct {
		Type string `json:"type"`
		Text *struct {
			Text string `json:"text"`
		} `json:"text"`
		Elements []struct {
			Type  string `json:"type"`
			Text  any    `json:"text"`
			Style string `json:"style"`
		} `json:"elements"`
	}
	if json.Unmarshal(raw, &blk) != nil {
		return ""
	}
	switch blk.Type {
	case "header":
		return `<div class="header">` + html.EscapeString(blk.Text.Text) + `</div>`
	case "section":
		return `<div class="section">` + mrkdwn(blk.Text.Text) + `</div>`
	case "divider":
		return `<hr>`
	case "context":
		var parts []string
		for _, e := range blk.Elements {
			if s, ok := e.Text.(string); ok {
				parts = append(parts, mrkdwn(s))
			}
		}
		return `<div class="context">` + strings.Join(parts, " ") + `</div>`
	case "actions":
		var s strings.Builder
		for _, e := range blk.Elements {
			if t, ok := e.Text.(map[string]any); ok {
				cls := "btn"
				if e.Style == "primary" {
					cls += " primary"
				}
				fmt.Fprintf(&s, `<span class="%s">%s</span>`, cls, html.EscapeString(fmt.Sprint(t["text"])))
			}
		}
		return `<div>` + s.String() + `</div>`
	}
	return ""
}

var (
	slackLink = regexp.MustCompile(`&lt;(https?://[^|]+?)\|(.*?)&gt;`)
	bold      = regexp.MustCompile(`\*([^*\n]+)\*`)
	code      = regexp.MustCompile("`([^`\n]+)`")
)

// mrkdwn draws the subset of Slack's mrkdwn the bot writes: bold, code,
// links. Slack's own escapes (&amp; &lt; &gt;) stay escaped in HTML.
func mrkdwn(s string) string {
	s = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
	s = html.EscapeString(s)
	s = slackLink.ReplaceAllString(s, `<a href="$1">$2</a>`)
	s = code.ReplaceAllString(s, `<code>$1</code>`)
	return bold.ReplaceAllString(s, `<b>$1</b>`)
}

// discordPage draws Discord messages (content, embeds, buttons) in
// Discord's dark theme.
func discordPage(raw []byte, first bool) (string, error) {
	var msgs []discordtest.Sent
	if err := json.Unmarshal(raw, &msgs); err != nil {
		return "", err
	}
	if first && len(msgs) > 1 {
		msgs = msgs[:1]
	}
	var b strings.Builder
	b.WriteString(pageHead + `body{background:#313338;color:#dbdee1}.who{color:#f2f3f5}.who small{background:#5865f2;color:#fff;border-radius:3px;padding:0 4px;font-size:11px}
.avatar{background:#5865f2;border-radius:50%}.embed{background:#2b2d31;border-left:4px solid;border-radius:4px;padding:8px 12px;margin:6px 0;max-width:560px}
.title{font-weight:700;color:#f2f3f5}.desc{white-space:pre-wrap;font-size:14px}.fname{font-weight:700;font-size:14px;margin-top:6px;color:#f2f3f5}
.fval{white-space:pre-wrap;font-size:14px}.foot{font-size:12px;color:#b5bac1;margin-top:6px}.content{white-space:pre-wrap}
.btn{display:inline-block;border-radius:3px;padding:4px 14px;margin:4px 6px 4px 0;background:#4e5058;color:#fff;font-size:14px}.btn.s3{background:#248046}
a{color:#00a8fc}
</style></head><body>`)
	for _, m := range msgs {
		b.WriteString(`<div class="msg"><div class="avatar">V</div><div><div class="who">vssbot <small>APP</small></div>`)
		if m.Content != nil && *m.Content != "" {
			b.WriteString(`<div class="content"><b>` + discordMD(*m.Content) + `</b></div>`)
		}
		for _, e := range m.Embeds {
			fmt.Fprintf(&b, `<div class="embed" style="border-color:#%06x">`, e.Color)
			if e.Title != "" {
				b.WriteString(`<div class="title">` + discordMD(e.Title) + `</div>`)
			}
			if e.Description != "" {
				b.WriteString(`<div class="desc">` + discordMD(e.Description) + `</div>`)
			}
			for _, f := range e.Fields {
				b.WriteString(`<div class="fname">` + discordMD(f.Name) + `</div><div class="fval">` + discordMD(f.Value) + `</div>`)
			}
			if e.Footer != nil {
				b.WriteString(`<div class="foot">` + html.EscapeString(e.Footer.Text) + `</div>`)
			}
			b.WriteString(`</div>`)
		}
		for _, row := range m.Components {
			b.WriteString(`<div>`)
			for _, c := range row.Components {
				fmt.Fprintf(&b, `<span class="btn s%d">%s</span>`, c.Style, html.EscapeString(c.Label))
			}
			b.WriteString(`</div>`)
		}
		b.WriteString(`</div></div>`)
	}
	return b.String() + "</body></html>", nil
}

var (
	mdEscape = regexp.MustCompile(`\\([^0-9A-Za-z\s])`)
	mdLink   = regexp.MustCompile(`\[([^\]]+)\]\((https?://[^)\s]+)\)`)
	mdBold   = regexp.MustCompile(`\*\*([^*\n]+)\*\*`)
	fence    = regexp.MustCompile("(?s)```\n(.*?)\n```")
)

// discordMD draws the subset of Discord's Markdown the bot writes: masked
// links, bold, code, fenced blocks; a backslash escape shows the character.
func discordMD(s string) string {
	const esc = "\x00"
	var kept []string
	s = mdEscape.ReplaceAllStringFunc(s, func(m string) string {
		kept = append(kept, m[1:])
		return esc
	})
	s = html.EscapeString(s)
	s = fence.ReplaceAllString(s, `<pre>$1</pre>`)
	s = mdLink.ReplaceAllString(s, `<a href="$2">$1</a>`)
	s = code.ReplaceAllString(s, `<code>$1</code>`)
	s = mdBold.ReplaceAllString(s, `<b>$1</b>`)
	for _, k := range kept {
		s = strings.Replace(s, esc, html.EscapeString(k), 1)
	}
	return s
}
