package config

import (
	"fmt"
	"io"
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
		if isSecret(key) {
			val = Mask(val)
		}
		out = append(out, key+": "+val)
	}
	return out
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
