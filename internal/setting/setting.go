// Package setting holds what the packages that own settings share when
// they check them and show them: problems that name their key, the check
// of an http(s) URL, and the masking of the secrets a setting may hold
// (tokens, a proxy's user:password in a URL).
package setting

import (
	"errors"
	"fmt"
	"net/url"
)

// Problems collects what is wrong with a package's settings, each naming
// its key, so that Validate reports them all at once.
type Problems []error

// Add records a problem of key.
func (p *Problems) Add(key, format string, args ...any) {
	*p = append(*p, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
}

// HTTPURL records a problem of key unless raw is an absolute http(s) URL;
// the value is shown masked, since it may hold a proxy's credentials.
func (p *Problems) HTTPURL(key, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.Add(key, "%q is not an http(s) URL", MaskURL(raw))
	}
}

// Err is the problems joined, nil when there are none.
func (p Problems) Err() error { return errors.Join(p...) }
