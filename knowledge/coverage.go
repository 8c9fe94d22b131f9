package knowledge

// Coverage counts what the base knows, for the README and `kb check`.
type Coverage struct {
	Codes      int `json:"codes"` // HRESULTs and exit codes
	Events     int `json:"events"`
	Writers    int `json:"writers"`
	States     int `json:"states"`
	Situations int `json:"situations"`
	Registry   int `json:"registry"`
}

// Coverage counts the loaded entries, overlay included.
func (b *Base) Coverage() Coverage {
	return Coverage{
		Codes:      len(b.codes),
		Events:     len(b.events),
		Writers:    len(b.writers),
		States:     len(b.states),
		Situations: len(b.situations),
		Registry:   len(b.registry),
	}
}
