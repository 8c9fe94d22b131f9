package evtx

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

var when = time.Date(2024, 3, 5, 1, 2, 3, 456789100, time.UTC)

// render reads every record of an in-memory file.
func render(t testing.TB, b []byte, lim Limits) ([]string, Stats, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), lim)
	if err != nil {
		return nil, Stats{}, err
	}
	var out []string
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, r.Stats(), nil
		}
		if err != nil {
			return out, r.Stats(), err
		}
		x, err := rec.XML(nil)
		if err != nil {
			return out, r.Stats(), err
		}
		out = append(out, string(x))
	}
}

func TestValueTypes(t *testing.T) {
	guid := [16]byte{0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde, 1, 2, 3, 4, 5, 6, 7, 8}
	ev := evtxtest.Event{
		Provider: "Test", ProviderGUID: guid, EventID: 7, Qualifiers: 49158, Level: 2, Keywords: 0x80000000000000,
		Time: when, Channel: "System", Computer: "SRV01", UserSID: "S-1-5-21-1-2-3-500",
		Data: []evtxtest.Data{
			{Name: "s", Value: "a<b & \"c\""}, {Name: "arr", Value: []string{"one", "two"}}, {Name: "u8", Value: uint8(200)}, {Name: "u16", Value: uint16(65535)},
			{Name: "u32", Value: uint32(4000000000)}, {Name: "u64", Value: uint64(1) << 63}, {Name: "i32", Value: int32(-5)}, {Name: "i64", Value: int64(-1) << 40},
			{Name: "b", Value: true}, {Name: "f", Value: 1.5}, {Name: "ft", Value: when}, {Name: "st", Value: evtxtest.SystemTime(when)}, {Name: "g", Value: guid},
			{Name: "sid", Value: evtxtest.SID("S-1-5-18")}, {Name: "h32", Value: evtxtest.Hex32(0x800423f4)}, {Name: "h64", Value: evtxtest.Hex64(0x1f)},
			{Name: "bin", Value: []byte{0xde, 0xad}}, {Name: "nil", Value: nil},
		},
		Binary: []byte{1, 2, 0xff},
	}
	recs, st, err := render(t, evtxtest.File(ev), Limits{})
	if err != nil || len(recs) != 1 || st.Unreadable != 0 {
		t.Fatalf("%d records, %+v, %v", len(recs), st, err)
	}
	for _, want := range []string{
		`<Provider Name="Test" Guid="{12345678-9ABC-DEF0-0102-030405060708}"/>`,
		`<EventID Qualifiers="49158">7</EventID>`,
		`<Keywords>0x0080000000000000</Keywords>`,
		`<TimeCreated SystemTime="2024-03-05T01:02:03.456789100Z"/>`,
		`<EventRecordID>1</EventRecordID>`,
		`<Security UserID="S-1-5-21-1-2-3-500"/>`,
		`<Data Name="s">a&lt;b &amp; &quot;c&quot;</Data>`,
		`<Data Name="arr">one</Data>`, `<Data Name="arr">two</Data>`,
		`<Data Name="u8">200</Data>`, `<Data Name="u16">65535</Data>`, `<Data Name="u32">4000000000</Data>`,
		`<Data Name="u64">9223372036854775808</Data>`, `<Data Name="i32">-5</Data>`, `<Data Name="i64">-1099511627776</Data>`,
		`<Data Name="b">true</Data>`, `<Data Name="f">1.5</Data>`,
		`<Data Name="ft">2024-03-05T01:02:03.456789100Z</Data>`, `<Data Name="st">2024-03-05T01:02:03.456000000Z</Data>`,
		`<Data Name="g">{12345678-9ABC-DEF0-0102-030405060708}</Data>`, `<Data Name="sid">S-1-5-18</Data>`,
		`<Data Name="h32">0x800423f4</Data>`, `<Data Name="h64">0x000000000000001f</Data>`,
		`<Data Name="bin">DEAD</Data>`, `<Binary>0102FF</Binary>`,
	} {
		if !strings.Contains(recs[0], want) {
			t.Errorf("missing %s in\n%s", want, recs[0])
		}
	}
	if strings.Contains(recs[0], `Name="nil"`) {
		t.Errorf("an optional substitution without value should drop its element:\n%s", recs[0])
	}
}

func TestUserDataAndTemplateReuse(t *testing.T) {
	var evs []evtxtest.Event
	for i := range 300 { // several chunks, one template per chunk reused
		evs = append(evs, evtxtest.Event{Provider: "P", EventID: uint16(i), Time: when, Computer: strings.Repeat("c", 200),
			UserData: "Op", Data: []evtxtest.Data{{Name: "Name", Value: "x"}, {Name: "Value", Value: i}}})
	}
	b := evtxtest.File(evs...)
	recs, st, err := render(t, b, Limits{})
	if err != nil || len(recs) != 300 || st.Chunks < 2 {
		t.Fatalf("%d records, %+v, %v", len(recs), st, err)
	}
	if !strings.Contains(recs[299], "<UserData>\n    <Op>\n      <Name>x</Name>\n      <Value>299</Value>") {
		t.Errorf("UserData not rendered:\n%s", recs[299])
	}
}

// TestDamage cuts and breaks a two-chunk file: the damaged part is
// counted, the rest is read, nothing panics.
func TestDamage(t *testing.T) {
	var evs []evtxtest.Event
	for range 400 {
		evs = append(evs, evtxtest.Event{Provider: "P", EventID: 1, Time: when, Computer: strings.Repeat("x", 100)})
	}
	b := evtxtest.File(evs...)
	recs, st, err := render(t, b, Limits{})
	if err != nil || len(recs) != 400 || st.Chunks < 2 {
		t.Fatalf("whole: %d records, %+v, %v", len(recs), st, err)
	}
	perChunk := int64(0)
	{
		r, _ := NewReader(bytes.NewReader(b[:4096+ChunkSize]), Limits{})
		for {
			if _, err := r.Next(); err != nil {
				break
			}
			perChunk++
		}
	}
	tests := []struct {
		name   string
		data   func() []byte
		read   int64
		unread int64
	}{
		{"cut mid second chunk", func() []byte { return b[:4096+ChunkSize+ChunkSize/2] }, -1, -1},
		{"cut inside second chunk header", func() []byte { return b[:4096+ChunkSize+200] }, perChunk, 400 - perChunk},
		{"bad first chunk signature", func() []byte {
			c := bytes.Clone(b)
			c[4096] = 'X'
			return c
		}, 400 - perChunk, perChunk},
		{"first template garbled", func() []byte {
			c := bytes.Clone(b)
			i := bytes.Index(c[4096:], []byte{0x0f, 1, 1, 0, 0x41}) // the template's fragment
			c[4096+i+4] = 0x77
			return c
		}, 400 - perChunk, perChunk},
		{"checksums wrong", func() []byte {
			c := bytes.Clone(b)
			i := bytes.Index(c[4096+512:], []byte("x\x00x\x00")) // a letter of a value
			c[4096+512+i] = 'y'
			c[4096+10] ^= 1 // the header checksum no longer matches either
			return c
		}, 400, 0},
		{"record size zeroed", func() []byte {
			c := bytes.Clone(b)
			clear(c[4096+512+4 : 4096+512+8])
			return c
		}, 400 - 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, st, err := render(t, tc.data(), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.read >= 0 && (int64(len(recs)) != tc.read || st.Unreadable != tc.unread) {
				t.Errorf("read %d, unreadable %d; want %d, %d (%+v)", len(recs), st.Unreadable, tc.read, tc.unread, st)
			}
			if int64(len(recs))+st.Unreadable != 400 {
				t.Errorf("read %d + unreadable %d != 400 (%+v)", len(recs), st.Unreadable, st)
			}
			if st.Unreadable > 0 && len(st.Problems) == 0 {
				t.Error("records lost without a problem saying where")
			}
		})
	}
}

func TestLimits(t *testing.T) {
	ev := evtxtest.Event{Provider: "P", EventID: 1, Time: when, Data: []evtxtest.Data{{Name: "a", Value: "1"}, {Name: "b", Value: "2"}}}
	b := evtxtest.File(ev)
	for _, tc := range []struct {
		lim  Limits
		want string
	}{
		{Limits{MaxValues: 3}, "substitution values, more than the limit"},
		{Limits{MaxDepth: 2}, "deeper than 2"},
		{Limits{MaxRecord: 64}, "over the limit of 64"},
	} {
		r, err := NewReader(bytes.NewReader(b), tc.lim)
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Next()
		st := r.Stats()
		if !errors.Is(err, io.EOF) || st.Unreadable != 1 || !strings.Contains(strings.Join(st.Problems, " "), tc.want) {
			t.Errorf("%+v: %v, %+v", tc.lim, err, st)
		}
	}
	_, err := NewReader(strings.NewReader("not a log"), Limits{})
	if !errors.Is(err, ErrNotEVTX) {
		t.Errorf("plain text: %v", err)
	}
}
