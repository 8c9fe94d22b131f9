package discord

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// TestErrorsNameWhatWasDialled: with discord.api_url pointing at a port
// nothing listens on, the errors name that address, not discord.com/api/v9.
func TestErrorsNameWhatWasDialled(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	a, err := New(Config{Token: "t", AppID: "1", APIURL: "http://" + addr + "/api/v10/"}, newEcho(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = a.Start(ctx)
	if err == nil {
		t.Fatal("started without a Discord")
	}
	if !strings.Contains(err.Error(), addr+"/api/v10/") || strings.Contains(err.Error(), "discord.com") {
		t.Errorf("error does not name what was dialled (%s): %v", addr, err)
	}
	err = a.call(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := a.session.ChannelMessageSend("1", "x", opts...)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), addr+"/api/v10/channels/1/messages") || strings.Contains(err.Error(), "discord.com") {
		t.Errorf("REST error does not name what was dialled: %v", err)
	}
}
