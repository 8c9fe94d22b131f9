package discord

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/bot"
)

// attachment describes a Discord attachment whose Open streams it from its
// URL (which expires, so the engine opens it promptly) within the size
// limit.
func (a *Adapter) attachment(at *discordgo.MessageAttachment) bot.Attachment {
	size := int64(at.Size)
	if size <= 0 {
		size = -1
	}
	name, link, limit := at.Filename, at.URL, a.cfg.MaxAttachmentBytes
	return bot.Attachment{
		Name: name,
		Size: size,
		Open: func(ctx context.Context) (io.ReadCloser, error) {
			return a.download(ctx, name, link, limit)
		},
	}
}

func (a *Adapter) download(ctx context.Context, name, link string, limit int64) (io.ReadCloser, error) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("download %s: bad URL %q", name, link)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", name, err)
	}
	resp, err := a.files.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", name, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("download %s: HTTP %s", name, resp.Status)
	}
	if resp.ContentLength > limit {
		resp.Body.Close()
		return nil, &bot.TooLargeError{Name: name, Size: resp.ContentLength, Limit: limit}
	}
	return &limitedBody{ReadCloser: resp.Body, name: name, left: limit}, nil
}

// limitedBody fails a read past the limit instead of silently truncating,
// so a diagnosis never rests on half a file without saying so.
type limitedBody struct {
	io.ReadCloser
	name string
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		n, err := b.ReadCloser.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("download %s: larger than the size limit", b.name)
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
