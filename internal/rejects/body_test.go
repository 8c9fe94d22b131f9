package rejects

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// stallingBody is a body that would block forever if it were read.
type stallingBody struct{ read bool }

func (b *stallingBody) Read([]byte) (int, error) { b.read = true; return 0, io.ErrUnexpectedEOF }
func (b *stallingBody) Close() error             { return nil }

func TestBody(t *testing.T) {
	// An announced length over the limit is refused before reading.
	r := httptest.NewRequest("POST", "/", nil)
	sb := &stallingBody{}
	r.Body, r.ContentLength = sb, 1<<20+1
	if _, reason, status, err := Body(httptest.NewRecorder(), r, 1<<20); err == nil || reason != TooLarge || status != http.StatusRequestEntityTooLarge || sb.read {
		t.Errorf("announced 1 MiB+1: reason %q status %d err %v read %v", reason, status, err, sb.read)
	}
	// A body without a length that runs past the limit is refused too.
	r = httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", 11)))
	r.ContentLength = -1
	if _, reason, _, err := Body(httptest.NewRecorder(), r, 10); err == nil || reason != TooLarge {
		t.Errorf("11 bytes over 10: reason %q err %v", reason, err)
	}
	r = httptest.NewRequest("POST", "/", strings.NewReader("ok"))
	if b, _, _, err := Body(httptest.NewRecorder(), r, 10); err != nil || string(b) != "ok" {
		t.Errorf("body %q err %v", b, err)
	}
}
