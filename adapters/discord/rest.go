package discord

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/bot"
)

// apiTransport sends discordgo's REST calls to the configured API base.
// discordgo builds every URL from its package-level Endpoint* variables;
// rewriting the prefix here, per session, keeps those variables untouched,
// so tests and several adapters in one process never race on them.
type apiTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rest, ok := strings.CutPrefix(req.URL.String(), discordgo.EndpointAPI)
	if !ok {
		return t.next.RoundTrip(req)
	}
	u, err := t.base.Parse(rest)
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.URL = u
	r.Host = u.Host
	return t.next.RoundTrip(r)
}

// restTransport keeps enough idle connections for a burst of slash
// commands, each deferred on its own goroutine, to reuse them rather than
// dial anew (the default keeps two per host).
func restTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// call makes one REST call and classifies its failure for the engine's
// retry policy: a 429 becomes a *bot.RateLimitError with Discord's delay, a
// network failure or a 5xx a temporary error; anything else is final.
func (a *Adapter) call(ctx context.Context, fn func(opts ...discordgo.RequestOption) error) error {
	return classify(a.dialled(fn(discordgo.WithContext(ctx))))
}

// discordgo502 starts the plain error discordgo returns for a 502 once its
// own retries (none here: MaxRestRetries is 0) are spent.
const discordgo502 = "Exceeded Max retries HTTP"

func classify(err error) error {
	if err == nil {
		return nil
	}
	if wait, limited := retryAfter(err); limited {
		return &bot.RateLimitError{RetryAfter: wait, Err: err}
	}
	if status, _ := apiCode(err); status >= 500 || strings.HasPrefix(err.Error(), discordgo502) {
		return bot.Temporary(err)
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return bot.Temporary(err)
	}
	return err
}

// retrying makes a call that no engine retries, registering /vss at start,
// waiting out up to discord.max_retries 429s for Discord's delay.
func (a *Adapter) retrying(ctx context.Context, what string, fn func(opts ...discordgo.RequestOption) error) error {
	for attempt := 0; ; attempt++ {
		err := a.call(ctx, fn)
		rl, limited := errors.AsType[*bot.RateLimitError](err)
		if !limited || attempt >= a.cfg.MaxRetries {
			return err
		}
		a.log.Debug("rate limited", "call", what, "retry_after", rl.RetryAfter, "attempt", attempt+1)
		t := time.NewTimer(rl.RetryAfter)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// retryAfter reports whether err is a 429 and how long Discord asked to
// wait, from the JSON retry_after or else the Retry-After header.
func retryAfter(err error) (time.Duration, bool) {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return max(rl.RetryAfter, 0), true
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusTooManyRequests {
		secs, perr := strconv.ParseFloat(re.Response.Header.Get("Retry-After"), 64)
		if perr != nil || secs < 0 {
			secs = 1
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	return 0, false
}

// apiCode is Discord's JSON error code of a REST failure, 0 if none.
func apiCode(err error) (status, code int) {
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		return 0, 0
	}
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	if re.Message != nil {
		code = re.Message.Code
	}
	return status, code
}
