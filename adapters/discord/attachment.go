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
// URL (which expires, so the engine opens it promptly). The engine checks
// the size: announced here, or the download's Content-Length (bot.Sizer).
func (a *Adapter) attachment(at *discordgo.MessageAttachment) bot.Attachment {
	size := int64(at.Size)
	if size <= 0 {
		size = -1
	}
	name, link := at.Filename, at.URL
	return bot.Attachment{
		Name: name,
		Size: size,
		Open: func(ctx context.Context) (io.ReadCloser, error) {
			return a.download(ctx, name, link)
		},
	}
}

func (a *Adapter) download(ctx context.Context, name, link string) (io.ReadCloser, error) {
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
	return sizedBody{resp.Body, resp.ContentLength}, nil
}

// sizedBody is a download that tells the engine its size (bot.Sizer).
type sizedBody struct {
	io.ReadCloser
	size int64
}

func (b sizedBody) Size() int64 { return b.size }
