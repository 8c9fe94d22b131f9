// Package parse finds VSS and backup failures in logs a customer sends:
// ActiveImage Protector task logs, vssadmin output, Windows event log exports
// and free text pasted into chat, in any of the encodings Windows produces,
// plain or inside zip and gzip containers. It knows nothing of chat platforms
// and nothing of remedies: it turns bytes into ranked Findings.
//
// # Evidence is monotone
//
// Two kinds of reader look at a text. The line recogniser finds what one
// line shows on its own: a code in its spellings, a symbolic name, an exit
// code, a writer name. Layout readers (an event record, a vssadmin writer
// block, a product's one-line writer status) follow several lines and add
// structure: they bind a writer to its code and state, attach an event ID,
// mark a value stale ("Old Error", "古いエラー": an earlier session's).
// A layout reader may add structure but never remove evidence:
//
//   - every code the line recogniser finds on a line alone is in the
//     findings of the whole text, carried by a layout's finding or as a
//     finding of its own, unless a layout marks it stale;
//   - a record the layout reader cannot complete (an event ID whose source
//     never comes, a record of another source it does not keep) gives back
//     the codes its lines held, as the line recogniser reads them;
//   - a line a layout cannot place is left to the line recogniser.
//
// A rendered XML record is one unit, read alone as it is in a file (an
// .evtx record is read the same way), so it follows its own rules.
// TestFieldMonotone holds the rule over the field corpus; a sample's
// expected file names the codes it rightly does not report and why
// (stale, documentation, benign).
//
// # Pasted text
//
// Text reaches the recognisers as the tool printed it: one normaliser
// (paste.go) undoes what the web and chat clients do to a paste (quote
// marks, Markdown escapes and tables, code fences, HTML and Slack
// entities, line numbers and chat times before each line, full-width ASCII
// typed with an IME, exotic and zero-width spaces, "×" for the x of "0x",
// 80-column console wraps). Every rewrite keeps or shrinks the text and
// keeps its line breaks, so line numbers stay those of the input; a buffer
// that holds none of the marks these manglings leave is handed on as read.
// TestFieldMetamorphic holds every field sample to the same findings after
// each mangling and each ordered pair of them.
package parse
