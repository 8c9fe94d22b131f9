// Command genevtx writes a large .evtx event log to stdout: the chunks of a
// real log repeated, then one VSS 12289 and one VolSnap 25 record at the
// end, for measuring the reader's throughput and memory:
//
//	go run ./internal/devtools/genevtx -from system.evtx -size 1GiB > big.evtx
package main

import (
	"bufio"
	"flag"
	"log/slog"
	"os"
	"time"

	"github.com/vssbot/vssbot/internal/devtools/loggen"
	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

func main() {
	from := flag.String("from", "../shared/evtx/system.evtx", "real .evtx whose chunks are repeated")
	size := flag.String("size", "1GiB", "approximate output size (e.g. 64MiB, 1GiB)")
	flag.Parse()
	n, err := loggen.ParseSize(*size)
	if err != nil {
		slog.Error("bad -size", "err", err)
		os.Exit(2)
	}
	src, err := os.ReadFile(*from)
	if err != nil {
		slog.Error("read source log", "err", err)
		os.Exit(1)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	err = evtxtest.Large(w, src, n, tail(time.Date(2024, 3, 5, 1, 2, 3, 0, time.UTC))...)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		slog.Error("write log", "err", err)
		os.Exit(1)
	}
}

// tail is the two relevant records written after the bulk.
func tail(t time.Time) []evtxtest.Event {
	return []evtxtest.Event{
		{Provider: "VSS", EventID: 12289, Level: 2, Time: t, RecordID: 1 << 20, Channel: "Application", Computer: "SRV01",
			Data: []evtxtest.Data{{Value: "Unexpected error DeviceIoControl.  hr = 0x80070001, Incorrect function."}}},
		{Provider: "volsnap", EventID: 25, Qualifiers: 49158, Level: 2, Time: t.Add(time.Second), RecordID: 1<<20 + 1,
			Channel: "System", Computer: "SRV01", Data: []evtxtest.Data{{Value: `\Device\HarddiskVolumeShadowCopy12`}, {Value: "C:"}}},
	}
}
