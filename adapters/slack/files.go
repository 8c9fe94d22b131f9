package slack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	slackapi "github.com/slack-go/slack"
)

// ErrNoFilesRead is what a download returns when the bot token lacks
// files:read: files.info says missing_scope, or the download gets Slack's
// sign-in page instead of the file. Its text reaches the user, so it says
// what to do.
var ErrNoFilesRead = errors.New("the Slack app lacks the files:read scope: add it and reinstall the app")

// download streams a file's content with the bot token. A file known only
// by its id is looked up with files.info first; the size learnt there goes
// with the body (bot.Sizer), for the engine to check before reading.
func (a *Adapter) download(ctx context.Context, f slackapi.File) (io.ReadCloser, error) {
	if f.URLPrivateDownload == "" && f.URLPrivate == "" {
		info, err := a.fileInfo(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		f = *info
	}
	link := f.URLPrivateDownload
	if link == "" {
		link = f.URLPrivate
	}
	if err := a.mayReceiveToken(link); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", f.Name, err)
	}
	req.Header.Set("Authorization", "Bearer "+a.cfg.BotToken)
	resp, err := a.files.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", f.Name, err)
	}
	if err := checkDownload(resp); err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("download %s: %w", f.Name, err)
	}
	size := int64(f.Size)
	if size <= 0 {
		size = resp.ContentLength
	}
	return sizedBody{resp.Body, size}, nil
}

// sizedBody is a download that tells the engine its size (bot.Sizer).
type sizedBody struct {
	io.ReadCloser
	size int64
}

func (b sizedBody) Size() int64 { return b.size }

// checkDownload rejects anything but the file itself. Without files:read
// Slack redirects to its sign-in page, which comes back as HTML with 200.
func checkDownload(resp *http.Response) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		return fmt.Errorf("got the sign-in page instead of the file: %w", ErrNoFilesRead)
	}
	return nil
}

// fileInfo asks Slack for a file's details (files.info).
func (a *Adapter) fileInfo(ctx context.Context, id string) (*slackapi.File, error) {
	info, _, _, err := a.api.GetFileInfoContext(ctx, id, 0, 0)
	if err != nil {
		err = explain("slack.bot_token", err)
		if se, ok := errors.AsType[*SettingError](err); ok && se.Needed == "files:read" {
			return nil, ErrNoFilesRead
		}
		return nil, fmt.Errorf("files.info %s: %w", id, err)
	}
	return info, nil
}

// mayReceiveToken refuses to send the bot token anywhere but the Slack API's
// host and its subdomains (files are served from a subdomain of the API's
// domain), over the API's scheme or https: a file's URL comes from an event
// and an external file's URL is whatever its creator chose.
func (a *Adapter) mayReceiveToken(link string) error {
	u, err := url.Parse(link)
	if err != nil {
		return fmt.Errorf("file URL: %w", err)
	}
	if !a.tokenHost(u) {
		return fmt.Errorf("file URL %s is not on the Slack API's host: not sending the token there", u.Redacted())
	}
	return nil
}

// tokenHost reports whether u may receive the token: the API's own scheme,
// host and port, or https on a subdomain of its domain at the default port.
// Plain http is allowed only when the configured API base is http itself.
func (a *Adapter) tokenHost(u *url.URL) bool {
	api := a.apiURL
	if u.User != nil {
		return false
	}
	if strings.EqualFold(u.Host, api.Host) && u.Scheme == api.Scheme {
		return true
	}
	apiDomain := strings.TrimPrefix(strings.ToLower(api.Hostname()), "api.")
	return u.Scheme == "https" && (u.Port() == "" || u.Port() == "443") &&
		strings.HasSuffix(strings.ToLower(u.Hostname()), "."+apiDomain)
}

// checkRedirect re-checks every redirect hop: Go keeps Authorization on a
// redirect that changes only the port or the scheme, and a 307 re-sends a
// form that may carry the token, so the first URL's check alone would let a
// hop to another port, or from https to http, receive it. Every request of
// these clients carries a token, so no hop may leave the token's hosts.
func (a *Adapter) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if !a.tokenHost(req.URL) {
		return fmt.Errorf("redirected to %s, not the Slack API's host: not sending the token there", req.URL.Redacted())
	}
	return nil
}
