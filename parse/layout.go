package parse

// layoutLine reads the one-line writer layouts of backup products, which
// tie a writer to its state and code on one line.
func (t *textReader) layoutLine(b []byte) bool {
	return false
}
