package knowledge

import (
	"fmt"

	"github.com/vssbot/vssbot/parse"
)

// Coverage counts what the base knows, for the README and `kb check`.
type Coverage struct {
	Codes      int `json:"codes"`     // HRESULTs and exit codes
	VSSCodes   int `json:"vss_codes"` // of which in the VSS range
	Events     int `json:"events"`
	Writers    int `json:"writers"`
	States     int `json:"states"`
	Situations int `json:"situations"`
	Registry   int `json:"registry"`
	Win32      int `json:"win32"` // Win32 errors named in 0x8007xxxx codes
}

// Coverage counts the loaded entries, overlay included.
func (b *Base) Coverage() Coverage {
	vss := 0
	for code := range b.codes {
		if parse.InVSSRange(code) {
			vss++
		}
	}
	return Coverage{
		VSSCodes:   vss,
		Codes:      len(b.codes),
		Events:     len(b.events),
		Writers:    len(b.writers),
		States:     len(b.states),
		Situations: len(b.situations),
		Registry:   len(b.registry),
		Win32:      len(b.win32),
	}
}

// String is the coverage as the README states it.
func (c Coverage) String() string {
	return fmt.Sprintf("%d codes (%d in the VSS range, %d Win32 errors), %d events, %d writers, %d writer states, %d situations, %d registry values",
		c.Codes, c.VSSCodes, c.Win32, c.Events, c.Writers, c.States, c.Situations, c.Registry)
}
