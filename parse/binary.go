package parse

// looksBinary reports whether the start of an input that is no known
// container and no UTF-16 text is binary data (random bytes, an image, a
// binary log of a format not read here) rather than text. Long runs of NUL
// bytes are left out, since a log cut short by a crash is often padded with
// them; short ones, as in binary integers, count as control characters. Text
// has almost none of those; binary data has one in ten or more.
func looksBinary(head []byte) bool {
	var n, ctrl, nuls int
	endRun := func() {
		if nuls < 8 {
			n, ctrl = n+nuls, ctrl+nuls
		}
		nuls = 0
	}
	var prev byte
	for _, b := range head {
		if b == 0 {
			nuls++
			continue
		}
		endRun()
		n++
		// DEL after a byte of 0x80 or more is a damaged Shift-JIS pair's
		// second byte, not a control character.
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v' && b != 0x1b || b == 0x7f && prev < 0x80 {
			ctrl++
		}
		prev = b
	}
	endRun()
	return n >= 16 && ctrl*50 > n
}

// FormatBinary is the Input.Format of a binary input of unknown format: it
// was not read as text and nothing was found in it.
const FormatBinary = "binary"

// isUTF16 reports whether head is UTF-16 text, with or without a BOM.
func isUTF16(head []byte) bool {
	enc, _ := sniffEncoding(head)
	return enc == encUTF16LE || enc == encUTF16BE
}
