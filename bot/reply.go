package bot

import "strconv"

// String names the kind for metrics and logs.
func (k EventKind) String() string {
	switch k {
	case Message:
		return "message"
	case Command:
		return "command"
	}
	return "event_" + strconv.Itoa(int(k))
}
