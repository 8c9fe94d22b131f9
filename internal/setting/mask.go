package setting

import "strings"

// MaskSecret hides a secret, keeping only its kind (the xoxb-/xapp- prefix) so an
// operator can tell which token is set.
func MaskSecret(secret string) string {
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

// MaskURL hides the userinfo (user:password@) of a URL, parseable or not,
// as MaskSecret hides a token: the rest still tells an operator where it points.
func MaskURL(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		i = -3 // "user:pw@host" without a scheme
	}
	rest := raw[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	return raw[:i+3] + "********" + rest[at:]
}
