package evtx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

// fanOut is the hostile file of the attack: 2 MB of records whose template
// holds 2,000 substitutions, nested five deep.
func fanOut() []byte { return evtxtest.FanOut(2<<20, 2000, 5) }

// renderCounting renders every record of b, counting the records that
// rendered and those that failed.
func renderCounting(t testing.TB, b []byte, lim Limits) (ok, failed int64, st Stats, errs []error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), lim)
	if err != nil {
		t.Fatal(err)
	}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return ok, failed, r.Stats(), errs
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rec.XML(nil); err != nil {
			failed++
			errs = append(errs, err)
			continue
		}
		ok++
	}
}

// TestFanOutBudget: rendering a file of nested templates stops at the
// chunk's and the file's budgets, and every record is accounted for:
// rendered, failed, or counted unreadable with a problem naming the
// budget.
func TestFanOutBudget(t *testing.T) {
	b := fanOut()
	r, err := NewReader(bytes.NewReader(b), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	total := int64(r.Header().NextRecord - 1)
	lim := Limits{}.withDefaults()
	ok, failed, st, errs := renderCounting(t, b, Limits{})
	if ok+failed != st.Records || st.Records+st.Unreadable != total {
		t.Errorf("%d rendered + %d failed, %d unreadable; the file holds %d records (%+v)", ok, failed, st.Unreadable, total, st)
	}
	// Every chunk is damage, and the file's budget, not only each chunk's,
	// bounds the work: 32 chunks at their own allowance would spend 32Mi.
	if st.BadChunks != st.Chunks || st.Chunks != 32 {
		t.Errorf("%d of %d chunks reported damaged, want all 32", st.BadChunks, st.Chunks)
	}
	if limit := lim.ChunkWork + lim.WorkPerByte*int64(len(b)) + maxSteps; st.Work > limit {
		t.Errorf("rendering spent %d, over the file's budget %d", st.Work, limit)
	}
	if !strings.Contains(strings.Join(st.Problems, "\n"), "budget") {
		t.Errorf("no problem names the budget: %q", st.Problems)
	}
	budget := 0
	for _, err := range errs {
		if errors.Is(err, ErrBudget) {
			budget++
		}
	}
	if budget == 0 {
		t.Errorf("no render error wraps ErrBudget: %v", errs[:min(3, len(errs))])
	}
	t.Logf("%d bytes, %d records: %d rendered, %d failed, %d unreadable, work %d", len(b), total, ok, failed, st.Unreadable, st.Work)
}

// TestChunkBudget: a chunk budget smaller than ordinary records need stops
// each chunk early; the next chunk starts with a fresh allowance, and the
// records left are counted, not lost silently.
func TestChunkBudget(t *testing.T) {
	var evs []evtxtest.Event
	for range 400 {
		evs = append(evs, evtxtest.Event{Provider: "P", EventID: 1, Time: when, Computer: strings.Repeat("x", 100)})
	}
	b := evtxtest.File(evs...)
	ok, failed, st, _ := renderCounting(t, b, Limits{ChunkWork: 400})
	if ok == 0 || failed == 0 || st.Unreadable == 0 {
		t.Fatalf("%d rendered, %d failed, %+v; want some of each", ok, failed, st)
	}
	if ok+failed+st.Unreadable != 400 || st.BadChunks != st.Chunks {
		t.Errorf("%d rendered + %d failed + %d unreadable != 400, or not every chunk damaged (%+v)", ok, failed, st.Unreadable, st)
	}
	if ok < int64(st.Chunks) {
		t.Errorf("%d records rendered in %d chunks: each chunk should start afresh", ok, st.Chunks)
	}
	// Default budgets leave ordinary records alone.
	ok, failed, st, _ = renderCounting(t, b, Limits{})
	if ok != 400 || failed != 0 || st.Unreadable != 0 {
		t.Errorf("default budgets: %d rendered, %d failed, %+v", ok, failed, st)
	}
}

// TestContextPerChunk: once the context is done, Next stops at the next
// chunk with the context's error.
func TestContextPerChunk(t *testing.T) {
	var evs []evtxtest.Event
	for range 400 {
		evs = append(evs, evtxtest.Event{Provider: "P", EventID: 1, Time: when, Computer: strings.Repeat("x", 100)})
	}
	r, err := NewReader(bytes.NewReader(evtxtest.File(evs...)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.SetContext(ctx)
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	cancel()
	n := 1
	for {
		_, err = r.Next()
		if err != nil {
			break
		}
		n++
	}
	if !errors.Is(err, context.Canceled) || n >= 400 {
		t.Errorf("after cancel: %d records read, then %v; want the first chunk only, then context.Canceled", n, err)
	}
}

// BenchmarkFanOut renders the hostile file: the budgets hold it to well
// under a second.
func BenchmarkFanOut(b *testing.B) {
	data := fanOut()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		renderCounting(b, data, Limits{})
	}
}
