package discord

import (
	"errors"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// dialled makes a failed REST call name the URL that was dialled. discordgo
// builds its URLs on discord.com/api/v9 and apiTransport sends them to
// discord.api_url, so the *url.Error that net/http wraps around a network
// failure would name a host never contacted.
func (a *Adapter) dialled(err error) error {
	ue, ok := errors.AsType[*url.Error](err)
	if !ok {
		return err
	}
	if rest, ok := strings.CutPrefix(ue.URL, discordgo.EndpointAPI); ok {
		base, perr := url.Parse(a.cfg.APIURL)
		if perr != nil {
			return err
		}
		if u, perr := base.Parse(rest); perr == nil {
			ue.URL = u.Redacted()
		}
	}
	return err
}
