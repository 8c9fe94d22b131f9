package knowledge

import (
	"strings"
	"testing"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// TestBinaryInputSaidInHeadline: an input that was binary of an unknown
// format is named in the headline in both languages, so "nothing found"
// never reads as "looked and found nothing".
func TestBinaryInputSaidInHeadline(t *testing.T) {
	b := loadBase(t)
	res := &parse.Result{Inputs: []parse.Input{{Source: "photo.png", Format: parse.FormatBinary}}}
	for l, want := range map[lang.Tag]string{lang.English: "not read as text", lang.Japanese: "読み取っていません"} {
		rep := b.Diagnose(res, l)
		if !strings.Contains(rep.Headline, want) || !strings.Contains(rep.Headline, "photo.png") {
			t.Errorf("%s headline %q does not say photo.png was binary", l, rep.Headline)
		}
	}
}
