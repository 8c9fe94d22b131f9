package rejects

import "github.com/prometheus/client_golang/prometheus"

// Count reads vssbot_rejected_requests_total for one platform and reason
// from a registry: what an operator's scrape would show.
func Count(g prometheus.Gatherer, platform, reason string) float64 {
	fams, err := g.Gather()
	if err != nil {
		return -1
	}
	for _, f := range fams {
		if f.GetName() != "vssbot_rejected_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["platform"] == platform && labels["reason"] == reason {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
