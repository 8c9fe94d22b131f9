package slack

import (
	"context"
	"sync"
	"time"

	"github.com/vssbot/vssbot/bot"
)

// localeTTL is how long a user's locale is remembered: people rarely
// change the language of their client.
const localeTTL = 24 * time.Hour

// maxLocales bounds the cache; when full it starts over.
const maxLocales = 4096

// localeCache remembers users' locales, so users.info is asked once a day
// per user.
type localeCache struct {
	mu sync.Mutex
	m  map[string]cachedLocale
}

type cachedLocale struct {
	locale string
	at     time.Time
}

func (c *localeCache) get(user string, now time.Time) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.m[user]
	if !ok || now.Sub(l.at) > localeTTL {
		return "", false
	}
	return l.locale, true
}

func (c *localeCache) put(user, locale string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxLocales {
		c.m = make(map[string]cachedLocale)
	}
	c.m[user] = cachedLocale{locale: locale, at: now}
}

// UserLocale implements bot.LocaleFinder with users.info (include_locale),
// cached per workspace and user. A failure is logged and means unknown:
// the answer falls back on the configured language and the user's words.
func (a *Adapter) UserLocale(ctx context.Context, ev bot.Event) string {
	key := ev.Target.Workspace + "/" + ev.User
	now := time.Now()
	if l, ok := a.locales.get(key, now); ok {
		return l
	}
	u, err := a.api.GetUserInfoContext(ctx, ev.User)
	if err != nil {
		a.log.Info("user locale unknown", "user", ev.User, "err", explain("slack.bot_token", err))
		return ""
	}
	a.locales.put(key, u.Locale, now)
	return u.Locale
}
