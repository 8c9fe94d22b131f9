package knowledge

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/lang"
)

// facilityWin32 is the top half of an HRESULT that carries a Win32 error
// (HRESULT_FROM_WIN32): severity bit, FACILITY_WIN32 (7).
const facilityWin32 = 0x80070000

// win32HRESULT is the canonical code of Win32 error n as an HRESULT,
// written without fmt: the loader calls it for every table entry.
func win32HRESULT(n int) string {
	const hex = "0123456789abcdef"
	b := []byte("0x80070000")
	for i := 9; i >= 6; i-- {
		b[i] = hex[n&0xf]
		n >>= 4
	}
	return string(b)
}

// win32Number is the Win32 error a canonical 0x8007xxxx code carries.
func win32Number(code string) (int, bool) {
	v, err := strconv.ParseUint(strings.TrimPrefix(code, "0x"), 16, 32)
	if err != nil || !strings.HasPrefix(code, "0x") || uint32(v)&0xffff0000 != facilityWin32 {
		return 0, false
	}
	return int(v & 0xffff), true
}

// isWin32 reports whether a canonical code is a FACILITY_WIN32 HRESULT.
func isWin32(code string) bool { _, ok := win32Number(code); return ok }

// joinWin32 gives every Win32 error an HRESULT entry: a code entry of its
// own keeps its words and gains the Windows message; an error without one
// gets an entry made of the table's message and steps, so that any listed
// 0x8007xxxx is named, explained and known to the parser.
func (b *Base) joinWin32() {
	for n, w := range b.win32 {
		code := win32HRESULT(n)
		if c, ok := b.codes[code]; ok {
			joined := *c
			joined.win32 = w
			b.codes[code] = &joined
			continue
		}
		// The meaning and reference are worded when the entry is shown
		// (win32Explained), not for every entry at each load.
		b.codes[code] = &codeEntry{
			Code: code, Name: w.Name, Kind: kindHRESULT, win32: w, fromWin32: true, at: w.at,
			explanation: explanation{
				Title: Text{EN: strings.TrimSuffix(w.Message.EN, "."), JA: strings.TrimSuffix(w.Message.JA, "。")},
				Steps: w.Steps,
			},
		}
	}
}

// win32Explained fills the meaning and the reference of a diagnosis made of
// the Win32 table alone.
func win32Explained(d *Diagnosis, w *win32Entry, l lang.Tag) {
	d.Meaning = fmt.Sprintf(l.Pick(
		"Win32 error %d (%s) returned as an HRESULT: 0x8007 marks FACILITY_WIN32 and the last four hex digits are the Win32 error number. Windows words it: “%s”",
		"Win32 エラー %d (%s) を HRESULT で表したコードです。0x8007 は FACILITY_WIN32 を表し、下位 4 桁 (16 進) が Win32 のエラー番号です。Windows はこのエラーを「%s」と表示します。"),
		w.Code, w.Name, w.Message.In(l))
	d.References = []Reference{win32Reference(w.Code).In(l)}
}

// win32Pages are the ranges of Microsoft's System Error Codes pages.
var win32Pages = [...]struct{ from, to int }{
	{0, 499}, {500, 999}, {1000, 1299}, {1300, 1699}, {1700, 3999}, {4000, 5999},
	{6000, 8199}, {8200, 8999}, {9000, 11999}, {12000, 15999},
}

// win32Reference is Microsoft's page listing Win32 error n.
func win32Reference(n int) Reference {
	slug := "system-error-codes"
	title := "System Error Codes"
	for _, p := range win32Pages {
		if n >= p.from && n <= p.to {
			slug = fmt.Sprintf("system-error-codes--%d-%d-", p.from, p.to)
			title = fmt.Sprintf("System Error Codes (%d-%d)", p.from, p.to)
			break
		}
	}
	return Reference{
		Title: "Microsoft Learn: " + title, Label: "Microsoft",
		URL:     "https://learn.microsoft.com/en-us/windows/win32/debug/" + slug,
		TitleJA: "Microsoft Learn: システム エラー コード", URLJA: "https://learn.microsoft.com/ja-jp/windows/win32/debug/" + slug,
	}
}

// win32Note is the line a code's diagnosis gains from the Win32 table.
func win32Note(w *win32Entry, l lang.Tag) string {
	return fmt.Sprintf(l.Pick("Win32 error %d (%s). Windows message: “%s”", "Win32 エラー %d (%s)。Windows のメッセージ:「%s」"),
		w.Code, w.Name, w.Message.In(l))
}

// Win32Message names the Win32 error a 0x8007xxxx code (or a bare Win32
// error number in decimal) carries, with the message Windows prints for it
// in lang; ok is false when the table lacks it.
func (b *Base) Win32Message(code string, l lang.Tag) (name, message string, ok bool) {
	n, isCode := win32Number(strings.ToLower(strings.TrimSpace(code)))
	if !isCode {
		v, err := strconv.Atoi(strings.TrimSpace(code))
		if err != nil {
			return "", "", false
		}
		n = v
	}
	w, found := b.win32[n]
	if !found {
		return "", "", false
	}
	return w.Name, w.Message.In(l), true
}
