// Package parse finds VSS and backup failures in logs a customer sends:
// ActiveImage Protector task logs, vssadmin output, Windows event log exports
// and free text pasted into chat, in any of the encodings Windows produces,
// plain or inside zip and gzip containers. It knows nothing of chat platforms
// and nothing of remedies: it turns bytes into ranked Findings.
//
// # Reading in two stages
//
// A line is read only when it holds a token that can be evidence. Small
// inputs go through one loop (the serial scanner); a large input is cut into
// 256 KiB blocks at line ends and read in two stages (pipeline.go).
//
// The first stage needs no state, so it runs on two goroutines, a block as
// soon as it is read. Every pattern is anchored on one of its two-byte
// sequences: "0x", the "80" of a bare 800423f2, the "{" of a GUID, the line
// break before a record key. A bigram filter (bigram.go; AVX2 in
// bigram_amd64.s, a scalar loop elsewhere) keeps only the positions whose
// two bytes share one of 16 buckets, chosen when the Parser is built from
// the vocabulary's anchors and the text of bigramtext.go. Each candidate is
// then verified where it stands (verify.go): eight hex digits with
// boundaries and a value that can be a failure code, a GUID whose first bits
// start some writer's id, a record key and its separator. A hit remembers
// the pattern that verified it and, for a key, its field and where its
// value starts.
//
// The second stage takes the blocks in input order and reads only the lines
// with a hit, keeping the state that spans lines: the record being read, the
// writer block, the layout. What the first stage verified without state
// stands; a hex code only a message would take and a Level key are checked
// again against the record. A key line with no other hit fills the record
// without the timestamp, layout and free-text work. Writer names and the
// knowledge base's phrases are matched on candidate lines by one
// Aho-Corasick automaton over ASCII-lowered bytes (ac.go).
//
// Large UTF-16 and Shift-JIS inputs are cut where a character surely starts
// and decoded on two goroutines (encoding.go, japanese.go), so the stages
// always read UTF-8. Only a few blocks are in flight whatever the input's
// size.
//
// # Same answers
//
// Both ways of reading must give the same findings, lines and line numbers:
// TestPipelineMatchesSerial and FuzzPipelineMatchesSerial compare the two
// stages with the serial scanner, and TestFilteredHits and FuzzBigramMasks
// compare the filtered search with the plain one.
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
