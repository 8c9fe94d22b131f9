package knowledge

import (
	"strings"
	"testing"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// TestStoppedInputSaidInHeadline: when a limit stopped the reading (a zip
// bomb), the headline says so in both languages and names the entry once,
// not the archive holding it; "nothing found" is about the part read.
func TestStoppedInputSaidInHeadline(t *testing.T) {
	b := loadBase(t)
	res := &parse.Result{Inputs: []parse.Input{
		{Source: "bundle.zip", Format: "zip", Limit: "MaxRatio=1000"},
		{Source: "bundle.zip:big.log", Format: "text", Limit: "MaxRatio=1000"},
	}}
	for l, want := range map[lang.Tag]string{lang.English: "Reading stopped at a limit", lang.Japanese: "上限に達した"} {
		h := b.Diagnose(res, l).Headline
		if !strings.Contains(h, want) || !strings.Contains(h, `"bundle.zip:big.log" (MaxRatio=1000)`) ||
			strings.Contains(h, `"bundle.zip" (`) {
			t.Errorf("%s headline %q does not name the stopped entry once", l, h)
		}
		if strings.Contains(h, "in what was sent") || strings.Contains(h, "送られた内容から") {
			t.Errorf("%s headline %q claims the whole input was read", l, h)
		}
	}
	res.Findings = []parse.Finding{{Kind: parse.KindVSSError, Code: "0x800423f2", State: -1}}
	if h := b.Diagnose(res, lang.English).Headline; !strings.Contains(h, "Reading stopped at a limit") {
		t.Errorf("headline with a finding %q does not say reading stopped", h)
	}
	clean := &parse.Result{Inputs: []parse.Input{{Source: "a.log", Format: "text"}}}
	if h := b.Diagnose(clean, lang.English).Headline; strings.Contains(h, "stopped") {
		t.Errorf("headline of a whole read %q says reading stopped", h)
	}
}
