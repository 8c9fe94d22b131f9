package redact

import "testing"

func TestURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://slack.com/api/":          "https://slack.com/api/",
		"https://u:p@h/x@y":               "https://********@h/x@y",
		"http://u@h":                      "http://********@h",
		"u:p@h:1/":                        "********@h:1/",
		"https://h/?next=http://u:p@evil": "https://h/?next=http://u:p@evil",
		"":                                "",
	} {
		if got := URL(in); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}
