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
package parse
