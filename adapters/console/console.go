// Package console is a chat adapter for a terminal, like Hubot's shell: the
// user pastes a log, types /vss CODE or /file PATH, and reads the reply the
// way a chat would show it. It is for trying the bot and its knowledge base
// without a Slack or Discord workspace.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
)

// Answerer is what the console needs from the engine; *bot.Engine has it.
type Answerer interface {
	Answer(ctx context.Context, ev bot.Event) (*answer.Outline, bool)
}

// maxLine bounds one input line; the rest of a longer line is dropped so a
// runaway paste cannot exhaust memory.
const maxLine = 1 << 20

// Banner is printed when a session starts.
const Banner = `vssbot console. Paste a log excerpt and finish it with an empty line,
or type /vss CODE..., /file PATH, /quit.
ログを貼り付けて空行で終えるか、/vss コード、/file パス、/quit を入力してください。
`

const prompt = "> "

// Run reads requests from in until /quit, end of input or ctx is done, and
// writes each reply to out. A pasted log is gathered until an empty line
// (or the end of input) so multi-line excerpts arrive whole. ctx is checked
// between requests: a blocked read of in is not interrupted.
func Run(ctx context.Context, eng Answerer, in io.Reader, out io.Writer) error {
	s := session{eng: eng, in: bufio.NewReader(in), out: out}
	if _, err := io.WriteString(out, Banner); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	return s.loop(ctx)
}

type session struct {
	eng Answerer
	in  *bufio.Reader
	out io.Writer
	n   int // events so far, for their ids
}

func (s *session) loop(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := io.WriteString(s.out, prompt); err != nil {
			return fmt.Errorf("console: %w", err)
		}
		line, err := s.readLine()
		if errors.Is(err, io.EOF) && line == "" {
			_, werr := io.WriteString(s.out, "\n")
			return werr
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("console: read input: %w", err)
		}
		ev, quit, err := s.event(line)
		if quit {
			return nil
		}
		if err != nil {
			return err
		}
		if ev == nil {
			continue
		}
		if err := s.answer(ctx, *ev); err != nil {
			return err
		}
	}
}

// event turns the first line of a request, and the lines after it for a
// paste, into an Event; nil means nothing to ask.
func (s *session) event(line string) (ev *bot.Event, quit bool, err error) {
	trimmed := strings.TrimSpace(line)
	cmd, rest, _ := strings.Cut(trimmed, " ")
	switch strings.ToLower(cmd) {
	case "":
		return nil, false, nil
	case "/quit", "/exit":
		return nil, true, nil
	case "/vss":
		return s.newEvent(bot.Command, strings.TrimSpace(rest), nil), false, nil
	case "/file":
		return s.newEvent(bot.Message, "", []bot.Attachment{fileAttachment(strings.TrimSpace(rest))}), false, nil
	}
	text, err := s.gather(line)
	if err != nil {
		return nil, false, err
	}
	return s.newEvent(bot.Message, text, nil), false, nil
}

// gather reads a pasted block up to an empty line or the end of input.
func (s *session) gather(first string) (string, error) {
	var b strings.Builder
	b.WriteString(first)
	for {
		line, err := s.readLine()
		if line != "" {
			b.WriteString("\n")
			b.WriteString(line)
		}
		if errors.Is(err, io.EOF) || (err == nil && strings.TrimSpace(line) == "") {
			return b.String(), nil
		}
		if err != nil {
			return "", fmt.Errorf("console: read input: %w", err)
		}
	}
}

// readLine returns one line without its end of line, keeping at most
// maxLine bytes of it.
func (s *session) readLine() (string, error) {
	var b []byte
	for {
		frag, isPrefix, err := s.in.ReadLine()
		if len(b) < maxLine {
			b = append(b, frag[:min(len(frag), maxLine-len(b))]...)
		}
		if err != nil || !isPrefix {
			return string(b), err
		}
	}
}

func (s *session) newEvent(kind bot.EventKind, text string, files []bot.Attachment) *bot.Event {
	s.n++
	return &bot.Event{
		ID:          "console-" + strconv.Itoa(s.n),
		Kind:        kind,
		Text:        text,
		Attachments: files,
		User:        "console",
		// Everything typed here is addressed to the bot.
		Mentioned: true,
		Target:    bot.Target{Platform: "console", Channel: "console", DM: true},
	}
}

func (s *session) answer(ctx context.Context, ev bot.Event) error {
	r, ok := s.eng.Answer(ctx, ev)
	if !ok {
		_, err := io.WriteString(s.out, "(no answer)\n")
		return err
	}
	if err := Render(s.out, r); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	// A blank line sets the reply apart from the next prompt.
	if _, err := io.WriteString(s.out, "\n"); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}

// fileAttachment opens path lazily, as a chat platform's download would.
func fileAttachment(path string) bot.Attachment {
	name, size := "", int64(-1)
	if path != "" {
		name = filepath.Base(path)
	}
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	return bot.Attachment{
		Name: name,
		Size: size,
		Open: func(context.Context) (io.ReadCloser, error) {
			if path == "" {
				return nil, errors.New("no path given: type /file PATH")
			}
			return os.Open(path)
		},
	}
}
