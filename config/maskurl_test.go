package config

import (
	"bytes"
	"strings"
	"testing"
)

// TestAPIURLCredentialsMasked: a proxy's user:password inside slack.api_url
// or discord.api_url is masked like a token in `config show` and in
// validation errors, valid URL or not.
func TestAPIURLCredentialsMasked(t *testing.T) {
	c, err := Load(Source{Getenv: envMap(map[string]string{
		"VSSBOT_SLACK_API_URL":   "https://proxyuser:pr0xy-pass@proxy.example:3128/api/",
		"VSSBOT_DISCORD_API_URL": "https://bob:d1sc-pass@proxy.example/api/v10/"})})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := c.Show(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"slack.api_url: https://********@proxy.example:3128/api/", "discord.api_url: https://********@proxy.example/api/v10/"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("config show lacks %q:\n%s", want, b.String())
		}
	}
	_, err = Load(Source{Getenv: envMap(map[string]string{
		"VSSBOT_SLACK_API_URL":   "ftp://proxyuser:pr0xy-pass@proxy.example/api/",
		"VSSBOT_DISCORD_API_URL": "https://bob:d1sc pass@proxy example/"})})
	if err == nil {
		t.Fatal("bad URLs accepted")
	}
	for _, text := range []string{b.String(), err.Error()} {
		for _, secret := range []string{"pr0xy-pass", "proxyuser", "d1sc", "bob:"} {
			if strings.Contains(text, secret) {
				t.Errorf("%q printed:\n%s", secret, text)
			}
		}
	}
	if !strings.Contains(err.Error(), "********@proxy.example") {
		t.Errorf("validation error does not say where the URL points:\n%v", err)
	}
}
