package answer

import (
	"fmt"
	"strings"

	"github.com/vssbot/vssbot/knowledge"
)

// Config is what a team sets for its answers.
type Config struct {
	// Products are the backup products the team supports (answer.products),
	// e.g. "ActiveImage Protector": their vendors' steps and "applies to"
	// lines are shown even when the evidence does not name the product.
	// Without it, a vendor's steps need that vendor's evidence.
	Products []string `mapstructure:"products"`
}

// Validate checks the settings.
func (c Config) Validate() error {
	for i, p := range c.Products {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("answer.products[%d] is empty", i)
		}
	}
	return nil
}

// formatProduct is the product whose own log format a parsed input had.
func formatProduct(format string) string {
	switch format {
	case "aip":
		return "ActiveImage Protector"
	}
	return ""
}

// products are the products the evidence shows, then those configured.
func products(rep *knowledge.Report, cfg Config) []string {
	var out []string
	for _, in := range rep.Inputs {
		if p := formatProduct(in.Format); p != "" && !contains(out, p) {
			out = append(out, p)
		}
	}
	return append(out, cfg.Products...)
}

// shown reports whether a vendor's or product's name matches one of the
// products in use: "ActiveImage Protector 2018 Windows" matches a team's
// "ActiveImage Protector" and the other way round.
func shown(name string, inUse []string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, p := range inUse {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "" && (strings.HasPrefix(n, p) || strings.HasPrefix(p, n)) {
			return true
		}
	}
	return false
}

// forProducts drops from d what applies only to a product not in use: a
// vendor's steps and references, and the "applies to" products.
func forProducts(d knowledge.Diagnosis, inUse []string) knowledge.Diagnosis {
	steps := make([]string, 0, len(d.Steps))
	for _, s := range d.Steps {
		if v := stepSource(s, d); v == "" || !isVendor(v, d) || shown(v, inUse) {
			steps = append(steps, s)
		}
	}
	refs := make([]knowledge.Reference, 0, len(d.References))
	for _, r := range d.References {
		if r.Label == "" || !isVendor(r.Label, d) || shown(r.Label, inUse) {
			refs = append(refs, r)
		}
	}
	var prods []string
	for _, p := range d.Products {
		if shown(p, inUse) {
			prods = append(prods, p)
		}
	}
	d.Steps, d.References, d.Products = steps, refs, prods
	return d
}
