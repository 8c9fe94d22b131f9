package config

import (
	"fmt"
	"io"
	"net/url"
	"reflect"
	"sort"
	"strings"
)

// isSecret says which keys Show masks: they must never reach a terminal or
// a log.
func isSecret(key string) bool {
	switch key {
	case "slack.bot_token", "slack.app_token", "slack.signing_secret", "discord.token":
		return true
	}
	return false
}

// isURL says which keys hold a URL that may carry credentials (a proxy's
// user:password) in its userinfo.
func isURL(key string) bool { return key == "slack.api_url" || key == "discord.api_url" }

// Show writes every setting as "key: value", sorted, with secrets masked.
func (c *Config) Show(w io.Writer) error {
	lines := flatten("", reflect.ValueOf(*c))
	sort.Strings(lines)
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

func flatten(prefix string, v reflect.Value) []string {
	var out []string
	t := v.Type()
	for i := range t.NumField() {
		key := prefix + t.Field(i).Tag.Get("mapstructure")
		f := v.Field(i)
		if f.Kind() == reflect.Struct && f.Type().Name() != "Duration" {
			out = append(out, flatten(key+".", f)...)
			continue
		}
		val := fmt.Sprint(f.Interface())
		switch {
		case isSecret(key):
			val = Mask(val)
		case key == "redis.url" || key == "stats.dsn":
			val = redactURL(val)
		}
		if isURL(key) {
			val = MaskURL(val)
		}
		out = append(out, key+": "+val)
	}
	return out
}

// redactURL hides the password of a URL that may carry one.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// Mask hides a secret, keeping only its kind (the xoxb-/xapp- prefix) so an
// operator can tell which token is set.
func Mask(secret string) string {
	if secret == "" {
		return ""
	}
	for _, p := range []string{"xoxb-", "xapp-"} {
		if strings.HasPrefix(secret, p) {
			return p + "********"
		}
	}
	return "********"
}

// MaskURL hides the userinfo (user:password@) of a URL, parseable or not,
// as Mask hides a token: the rest still tells an operator where it points.
func MaskURL(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		i = -3 // "user:pw@host" without a scheme
	}
	rest := raw[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	return raw[:i+3] + "********" + rest[at:]
}
