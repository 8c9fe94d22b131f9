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

	"github.com/vssbot/vssbot/bot"
)

// ErrNoFilesRead is what a download returns when the bot token lacks
// files:read: files.info says missing_scope, or the download gets Slack's
// sign-in page instead of the file. Its text reaches the user, so it says
// what to do.
var ErrNoFilesRead = errors.New("the Slack app lacks the files:read scope: add it and reinstall the app")

// download streams a file's content with the bot token. A file known only
// by its id is looked up with files.info first. The announced size is
// checked against the limit before anything is downloaded.
func (a *Adapter) download(ctx context.Context, f slackapi.File) (io.ReadCloser, error) {
	if f.URLPrivateDownload == "" && f.URLPrivate == "" {
		info, err := a.fileInfo(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		f = *info
	}
	if limit := a.cfg.MaxAttachmentBytes; int64(f.Size) > limit {
		return nil, &bot.TooLargeError{Name: f.Name, Size: int64(f.Size), Limit: limit}
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
	return resp.Body, nil
}

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
	api := a.apiURL
	sameHost := strings.EqualFold(u.Host, api.Host) && u.Scheme == api.Scheme
	apiDomain := strings.TrimPrefix(strings.ToLower(api.Hostname()), "api.")
	subdomain := u.Scheme == "https" && strings.HasSuffix(strings.ToLower(u.Hostname()), "."+apiDomain)
	if !sameHost && !subdomain {
		return fmt.Errorf("file URL %s is not on the Slack API's host: not sending the token there", u.Redacted())
	}
	return nil
}
