package config

import (
	"fmt"
	"io"
	"net/url"
	"reflect"
	"sort"
	"strings"

	"github.com/vssbot/vssbot/internal/setting"
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
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("mapstructure"), ",")
		f := v.Field(i)
		switch {
		case name == "-" || !t.Field(i).IsExported():
			continue // wired in by serve, not a setting
		case opts == "squash":
			out = append(out, flatten(prefix, f)...)
			continue
		}
		key := prefix + name
		if f.Kind() == reflect.Struct && f.Type().Name() != "Duration" {
			out = append(out, flatten(key+".", f)...)
			continue
		}
		val := fmt.Sprint(f.Interface())
		switch {
		case isSecret(key):
			val = setting.MaskSecret(val)
		case key == "redis.url" || key == "memory.dsn":
			val = redactURL(val)
		}
		if isURL(key) {
			val = setting.MaskURL(val)
		}
		out = append(out, key+": "+val)
	}
	return out
}

// redactURL hides the password of a URL that may carry one.
func redactURL(raw string) string {
	if strings.Contains(raw, "password=") && !strings.Contains(raw, "://") {
		// libpq's key=value form.
		f := strings.Fields(raw)
		for i, kv := range f {
			if strings.HasPrefix(kv, "password=") {
				f[i] = "password=xxxxx"
			}
		}
		return strings.Join(f, " ")
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
