package slack

import (
	"sync"
	"time"
)

// Slack accepts at most five posts to a response_url, within thirty minutes
// of the command.
const (
	responseURLUses = 5
	responseURLLife = 30 * time.Minute
)

// commands remembers, per response_url, who ran the command (for ephemeral
// fallbacks) and how often the URL was used.
type commands struct {
	mu     sync.Mutex
	byURL  map[string]*command
	pruned time.Time
}

type command struct {
	user string
	at   time.Time
	uses int
}

func newCommands() *commands { return &commands{byURL: make(map[string]*command)} }

// add records a command as it arrives, and forgets those whose URL expired.
func (c *commands) add(responseURL, user string) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.pruned) > time.Minute {
		c.pruned = now
		for u, cmd := range c.byURL {
			if now.Sub(cmd.at) > responseURLLife {
				delete(c.byURL, u)
			}
		}
	}
	if _, ok := c.byURL[responseURL]; !ok {
		c.byURL[responseURL] = &command{user: user, at: now}
	}
}

// get returns a copy of what is known of a command.
func (c *commands) get(responseURL string) command {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cmd, ok := c.byURL[responseURL]; ok {
		return *cmd
	}
	return command{}
}

// use takes one of the URL's posts; false when none is left or it expired.
func (c *commands) use(responseURL string) bool {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	cmd := c.lookup(responseURL, now)
	if cmd.uses >= responseURLUses || now.Sub(cmd.at) > responseURLLife {
		return false
	}
	cmd.uses++
	return true
}

// lookup returns the command of a URL; one never seen (the bot restarted
// since it arrived) is counted from now. c.mu is held.
func (c *commands) lookup(responseURL string, now time.Time) *command {
	cmd, ok := c.byURL[responseURL]
	if !ok {
		cmd = &command{at: now}
		c.byURL[responseURL] = cmd
	}
	return cmd
}
