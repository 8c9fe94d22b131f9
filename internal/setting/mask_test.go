package setting

import "testing"

func TestMaskURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://slack.com/api/":          "https://slack.com/api/",
		"https://u:p@h/x@y":               "https://********@h/x@y",
		"http://u@h":                      "http://********@h",
		"u:p@h:1/":                        "********@h:1/",
		"https://h/?next=http://u:p@evil": "https://h/?next=http://u:p@evil",
		"":                                "",
	} {
		if got := MaskURL(in); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", in, got, want)
		}
	}
}
