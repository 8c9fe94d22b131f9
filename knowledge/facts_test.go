package knowledge

import (
	"context"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// resetFor is the writer's reset whose versions (in lang) hold version.
func resetFor(t *testing.T, b *Base, writer, version string, l lang.Tag) WriterReset {
	t.Helper()
	r := b.Lookup([]string{writer}, l)
	if len(r.Diagnoses) == 0 || r.Diagnoses[0].Writer == "" {
		t.Fatalf("Lookup(%q) found no writer", writer)
	}
	for _, rs := range r.Diagnoses[0].Resets {
		if strings.Contains(rs.Versions, version) {
			return rs
		}
	}
	t.Fatalf("%s has no reset for %q in %s: %+v", writer, version, l, r.Diagnoses[0].Resets)
	return WriterReset{}
}

func TestWriterResetsByVersion(t *testing.T) {
	b := loadBase(t)
	tests := []struct {
		writer, version, service string
		warned                   bool
	}{ // version: words of the reset's versions in both languages
		{"Microsoft Exchange Writer", "2013", "MSExchangeRepl", true},
		{"Microsoft Exchange Writer", "2007", "MSExchangeIS", true},
		{"Microsoft Exchange Writer", "2010", "MSExchangeIS", true},
		{"Microsoft Exchange Replica Writer", "Replica Writer", "MSExchangeRepl", true},
		{"SqlServerWriter", "2005 SP2", "SQLWriter", false},
		{"SqlServerWriter", "SQLWriter", "MSSQLSERVER", true},
		{"Microsoft Hyper-V VSS Writer", "2012 R2", "vmms", true},
		{"Microsoft Hyper-V VSS Writer", "2016", "vmms", true},
		{"NTDS", "2008", "NTDS", true},
		{"NTDS", "2003", "", true},
		{"IIS Config Writer", "IIS 7.0", "AppHostSvc", true},
		{"IIS Metabase Writer", "IIS 6", "IISADMIN", true},
		{"Cluster Database", "2008", "ClusSvc", true},
		{"Cluster Shared Volume VSS Writer", "2012", "ClusSvc", true},
		{"Certificate Authority", "2008", "CertSvc", true},
		{"DFS Replication service writer", "2003 R2", "DFSR", true},
		{"FSRM Writer", "2008", "SrmSvc", true},
		{"WIDWriter", "2012", "MSSQL$MICROSOFT##WID", true},
		{"WIDWriter", "2008 R2", "MSSQL$MICROSOFT##SSEE", true},
		{"WIDWriter", "SQL Server", "SQLWriter", false},
	}
	for _, tt := range tests {
		for _, l := range []lang.Tag{lang.English, lang.Japanese} {
			t.Run(tt.writer+"/"+tt.version+"/"+string(l), func(t *testing.T) {
				r := resetFor(t, b, tt.writer, tt.version, l)
				if !strings.Contains(r.Service, tt.service) {
					t.Errorf("service = %q, want %s", r.Service, tt.service)
				}
				if tt.service == "" && !strings.Contains(r.Step, l.Pick("reboot", "ドメイン コントローラーを再起動")) {
					t.Errorf("step does not reboot the domain controller: %q", r.Step)
				}
				if !strings.Contains(r.Step, tt.service) {
					t.Errorf("step does not name %s: %q", tt.service, r.Step)
				}
				caution := l.Pick("⚠ Caution:", "⚠ 注意:")
				if got := strings.Contains(r.Step, caution); got != tt.warned {
					t.Errorf("warning shown = %v, want %v: %q", got, tt.warned, r.Step)
				}
			})
		}
	}
}

// TestExchangeWriterCurrentService: the writer's own service (what the
// answer code restarts first) is the 2013+ one, and the Information Store
// reset stays one for 2007 and 2010 only.
func TestExchangeWriterCurrentService(t *testing.T) {
	b := loadBase(t)
	r := b.Lookup([]string{"{76fe1ac4-15f7-4bcd-987e-8e1acb462fb7}"}, lang.English)
	d := r.Diagnoses[0]
	if !strings.Contains(d.Service, "MSExchangeRepl") || strings.Contains(d.Steps[0], "MSExchangeIS") {
		t.Errorf("Exchange writer service %q, first step %q: want the Replication service", d.Service, d.Steps[0])
	}
	for _, rs := range d.Resets {
		if strings.Contains(rs.Step, "MSExchangeIS") && strings.Contains(rs.Versions, "2013") {
			t.Errorf("Information Store reset offered for 2013+: %+v", rs)
		}
	}
}

func TestFactsInEntries(t *testing.T) {
	b := loadBase(t)
	tests := []struct {
		query    string
		lang     lang.Tag
		field    string // meaning, default (notes), steps, causes
		want     []string
		wantNone []string
	}{
		{"MinDiffAreaFileSize", lang.English, "notes", []string{"320 MB", "32 MB", "500 MB", "defaulted to 300 MB", "Windows Server 2008"}, []string{"starts at 300 MB"}},
		{"MinDiffAreaFileSize", lang.Japanese, "notes", []string{"320 MB", "32 MB", "500 MB 未満"}, nil},
		{"MinDiffAreaFileSize", lang.English, "steps", []string{"multiple of 32"}, []string{"a multiple of 300, e.g."}},
		{"0x80042312", lang.English, "meaning", []string{"64 volumes"}, nil},
		{"0x80042312", lang.Japanese, "meaning", []string{"64 ボリューム"}, nil},
		{"0x8004230c", lang.English, "meaning", []string{"persistent shadow copies (kept after the backup) need NTFS"}, nil},
		{"0x8004230c", lang.English, "steps", nil, []string{"if it does not, VSS cannot handle it"}},
		{"0x8004230c", lang.Japanese, "meaning", []string{"永続的なシャドウ コピー", "NTFS ボリュームでしか"}, nil},
		{"VolSnap 35", lang.English, "title", []string{"failed to grow"}, []string{"no free space"}},
		{"VolSnap 35", lang.Japanese, "meaning", []string{"拡張できなかった", "理由を示しません"}, nil},
		{"0x800423f2", lang.English, "causes", []string{"20 seconds", "Antivirus"}, nil},
		{"event 8229", lang.English, "causes", []string{"20 seconds"}, nil},
		{"event 8193", lang.English, "steps", []string{`VSS\Diag`, "0x80070005"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+string(tt.lang)+"/"+tt.field, func(t *testing.T) {
			r := b.Lookup([]string{tt.query}, tt.lang)
			if len(r.Diagnoses) == 0 {
				t.Fatalf("Lookup(%q) found nothing", tt.query)
			}
			d := r.Diagnoses[0]
			var text string
			switch tt.field {
			case "meaning":
				text = d.Meaning
			case "title":
				text = d.Title
			case "notes":
				text = strings.Join(d.Notes, "\n")
			case "steps":
				text = strings.Join(d.Steps, "\n")
			case "causes":
				text = strings.Join(d.Causes, "\n")
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s lacks %q: %q", tt.field, w, text)
				}
			}
			for _, w := range tt.wantNone {
				if strings.Contains(text, w) {
					t.Errorf("%s still says %q: %q", tt.field, w, text)
				}
			}
		})
	}
}

// TestStepOrders: Microsoft's documented first-line handling leads, and the
// component store is repaired before sfc runs.
func TestStepOrders(t *testing.T) {
	b := loadBase(t)
	for _, code := range []string{"0x800423f1", "0x800423f2", "0x800423f3", "0x80042306", "0x80042313", "0x80042314", "VolSnap 9"} {
		for _, l := range []lang.Tag{lang.English, lang.Japanese} {
			d := b.Lookup([]string{code}, l).Diagnoses[0]
			first := d.Steps[0]
			if !strings.HasPrefix(first, "[Microsoft]") || !strings.Contains(first, l.Pick("ten minutes", "10 分")) ||
				!strings.Contains(first, l.Pick("three", "3 回")) {
				t.Errorf("%s %s: first step %q, want Microsoft's wait ten minutes and retry up to three times", code, l, first)
			}
		}
	}
	for _, q := range []string{"VSS 22", "0x80040154", "0x80004002"} {
		for _, l := range []lang.Tag{lang.English, lang.Japanese} {
			steps := strings.Join(b.Lookup([]string{q}, l).Diagnoses[0].Steps, "\n")
			dism, sfc := strings.Index(steps, "DISM"), strings.Index(steps, "sfc /scannow")
			if dism < 0 || sfc < 0 || dism > sfc {
				t.Errorf("%s %s: DISM at %d, sfc at %d: want DISM first", q, l, dism, sfc)
			}
		}
	}
}

func TestNewCodesAndEvents(t *testing.T) {
	b := loadBase(t)
	codes := []struct{ code, name, ja string }{
		{"0x80042414", "VSS_E_ASRERROR_FIXED_PHYSICAL_DISK_AVAILABLE_AFTER_DISK_EXCLUSION", "除外"},
		{"0x80042415", "VSS_E_ASRERROR_CRITICAL_DISK_CANNOT_BE_EXCLUDED", "クリティカル"},
		{"0x80042416", "VSS_E_ASRERROR_SYSTEM_PARTITION_HIDDEN", "システム パーティション"},
		{"0x80042417", "VSS_E_FSS_TIMEOUT", "タイムアウト"},
	}
	for _, c := range codes {
		if got := b.NameOf(c.code); got != c.name {
			t.Errorf("NameOf(%s) = %q, want %s", c.code, got, c.name)
		}
		if got, ok := b.CodeOf(c.name); !ok || got != c.code {
			t.Errorf("CodeOf(%s) = %q, %v", c.name, got, ok)
		}
		d := b.Lookup([]string{c.code}, lang.Japanese).Diagnoses[0]
		if !strings.Contains(d.Title, c.ja) || len(d.Steps) == 0 {
			t.Errorf("%s in Japanese: title %q, %d steps", c.code, d.Title, len(d.Steps))
		}
	}
	events := []struct {
		query, en, ja string
		with          string
	}{
		{"VolSnap 58", "oldest", "最も古い", "0x80042317"},
		{"VolSnap 38", "user-set limit", "ユーザーが設定した上限", ""},
		{"VolSnap 9", "cleanup", "後処理", "0x80042313"},
	}
	for _, e := range events {
		en := b.Lookup([]string{e.query}, lang.English).Diagnoses
		ja := b.Lookup([]string{e.query}, lang.Japanese).Diagnoses
		if len(en) == 0 || !strings.Contains(strings.ToLower(en[0].Title), e.en) || !strings.Contains(ja[0].Title, e.ja) {
			t.Errorf("%s: titles %v / %v", e.query, en, ja)
			continue
		}
		k := keyOf("VolSnap", atoi(t, strings.Fields(e.query)[1]))
		if e.with != "" && !strings.Contains(strings.Join(b.events[k].Accompanies, " "), e.with) {
			t.Errorf("%s does not go with %s", e.query, e.with)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestWin32Names(t *testing.T) {
	b := loadBase(t)
	if n := len(b.win32); n < 150 {
		t.Errorf("%d Win32 errors, want at least 150", n)
	}
	tests := []struct{ code, name, en, ja string }{
		{"0x80070001", "ERROR_INVALID_FUNCTION", "Incorrect function.", "ファンクションが間違っています。"},
		{"0x80070002", "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified.", "指定されたファイルが見つかりません。"},
		{"0x80070005", "ERROR_ACCESS_DENIED", "Access is denied.", "アクセスが拒否されました。"},
		{"0x80070020", "ERROR_SHARING_VIOLATION", "The process cannot access the file because it is being used by another process.", "プロセスはファイルにアクセスできません。別のプロセスが使用中です。"},
		{"0x80070070", "ERROR_DISK_FULL", "There is not enough space on the disk.", "ディスクに十分な空き領域がありません。"},
		{"0x800704c7", "ERROR_CANCELLED", "The operation was canceled by the user.", "操作はユーザーによって取り消されました。"},
		{"0x8007045d", "ERROR_IO_DEVICE", "The request could not be performed because of an I/O device error.", "I/O デバイス エラーが発生したため、要求を実行できませんでした。"},
		{"0x80070079", "ERROR_SEM_TIMEOUT", "The semaphore timeout period has expired.", "セマフォがタイムアウトしました。"},
		{"0x800706ba", "RPC_S_SERVER_UNAVAILABLE", "The RPC server is unavailable.", "RPC サーバーを利用できません。"},
		{"0x800705aa", "ERROR_NO_SYSTEM_RESOURCES", "Insufficient system resources exist to complete the requested service.", "システム リソースが不足しているため、要求されたサービスを完了できません。"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			for _, c := range []struct {
				lang lang.Tag
				msg  string
			}{{lang.English, tt.en}, {lang.Japanese, tt.ja}} {
				name, msg, ok := b.Win32Message(tt.code, c.lang)
				if !ok || name != tt.name || msg != c.msg {
					t.Errorf("Win32Message(%s, %s) = %q, %q, %v; want %s, %q", tt.code, c.lang, name, msg, ok, tt.name, c.msg)
				}
				d := b.Lookup([]string{tt.code}, c.lang).Diagnoses
				if len(d) != 1 || !strings.Contains(d[0].Meaning+strings.Join(d[0].Notes, " "), c.msg) {
					t.Errorf("Lookup(%s, %s) does not show the message %q: %+v", tt.code, c.lang, c.msg, d)
				}
				if !hasLink(d[0].References) {
					t.Errorf("Lookup(%s) has no linked reference", tt.code)
				}
			}
			if got, ok := b.CodeOf(tt.name); !ok || got != tt.code {
				t.Errorf("CodeOf(%s) = %q, %v; want %s", tt.name, got, ok, tt.code)
			}
			if b.NameOf(tt.code) == "" {
				t.Errorf("NameOf(%s) is empty", tt.code)
			}
		})
	}
}

// TestJapaneseEventWin32Text: a Japanese VSS event prints the Win32 text
// next to hr =; the code is found, named and explained in Japanese.
func TestJapaneseEventWin32Text(t *testing.T) {
	b := loadBase(t)
	const event = "ボリューム シャドウ コピー サービス エラー: 予期しないエラー DeviceIoControl(\\\\?\\Volume{0f2c3a1e-0000-0000-0000-100000000000} - 0000000000000848,0x0053c008,...) が発生しました。hr = 0x800704c7, 操作はユーザーによって取り消されました。\n"
	res, err := parse.New(b, parse.Limits{}).Parse(context.Background(), "vss.txt", strings.NewReader(event))
	if err != nil {
		t.Fatal(err)
	}
	r := b.Diagnose(res, lang.Auto)
	if r.Lang != lang.Japanese {
		t.Errorf("answer in %s, want Japanese", r.Lang)
	}
	for _, d := range r.Diagnoses {
		if d.Code == "0x800704c7" {
			if d.Name != "ERROR_CANCELLED" || !strings.Contains(d.Title, "取り消されました") {
				t.Errorf("0x800704c7 diagnosed as %q %q", d.Name, d.Title)
			}
			return
		}
	}
	t.Errorf("0x800704c7 not diagnosed: %+v", r.Diagnoses)
}

func TestPastedLookups(t *testing.T) {
	b := loadBase(t)
	tests := []struct{ query, want string }{
		{"タイムアウト", "0x800423f2"},
		{"Timed out", "0x800423f2"},
		{"Last error: Timed out", "0x800423f2"},
		{"最後のエラー: タイムアウトしました", "0x800423f2"},
		{"最後のエラー：タイムアウトしました", "0x800423f2"},
		{"Retryable error", "0x800423f3"},
		{"Non-retryable error", "0x800423f4"},
		{"Last error: Non-retryable error", "0x800423f4"},
		{"再試行可能なエラー", "0x800423f3"},
		{"再試行できないエラー", "0x800423f4"},
		{"Letzter Fehler: Zeitüberschreitung", "0x800423f2"},
		{"Dernière erreur : Erreur non renouvelable", "0x800423f4"},
		{"Out of resources", "0x800423f1"},
		{"Inconsistent shadow copy", "0x800423f0"},
		{"VssSnapshotSetInProgressException", "0x80042316"},
		{"Alphaleonis.Win32.Vss.VssSnapshotSetInProgressException", "0x80042316"},
		{"VssRetryableWriterException", "0x800423f3"},
		{"The writer experienced a non-transient error", "0x800423f4"},
		{"ライターで一時的ではないエラーが発生しました", "0x800423f4"},
		{"The writer experienced a transient error.", "0x800423f3"},
		{"Another shadow copy creation is already in progress", "0x80042316"},
		{"別のシャドウ コピーの作成が既に進行中です", "0x80042316"},
		{"アクセスが拒否されました。", "0x80070005"},
		{"The semaphore timeout period has expired.", "0x80070079"},
		{"操作はユーザーによって取り消されました。", "0x800704c7"},
		{"ERROR_SEM_TIMEOUT", "0x80070079"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			for _, l := range []lang.Tag{lang.Auto, lang.English, lang.Japanese} {
				r := b.Lookup([]string{tt.query}, l)
				if len(r.Diagnoses) == 0 || r.Diagnoses[0].Code != tt.want {
					got := ""
					if len(r.Diagnoses) > 0 {
						got = r.Diagnoses[0].Code
					}
					t.Errorf("Lookup(%q, %s) first = %q, want %s", tt.query, l, got, tt.want)
				}
			}
		})
	}
}

// TestLabelsAgreeWithParser: every vssadmin label in the data is read by
// the parser as the same code, so a lookup and a pasted listing agree.
func TestLabelsAgreeWithParser(t *testing.T) {
	b := loadBase(t)
	prefixes := map[bool]string{false: "Last error", true: "最後のエラー"}
	for _, code := range b.phraseCodes() {
		for _, label := range b.phrases[code].Labels {
			ja := strings.ContainsFunc(label, func(r rune) bool { return r > 0x3000 })
			listing := "Writer name: 'System Writer'\n   Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}\n   Writer Instance Id: {ab13e0da-0a8b-48c4-ab4f-eabe2b3d01fe}\n   State: [9] Failed\n   " +
				prefixes[ja] + ": " + label + "\n\n"
			res, err := parse.New(b, parse.Limits{}).Parse(context.Background(), "writers.txt", strings.NewReader(listing))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range res.Findings {
				found = found || f.Code == code
			}
			if !found {
				t.Errorf("label %q (%s): parser findings %+v", label, code, res.Findings)
			}
		}
	}
}

func hasLink(refs []Reference) bool {
	for _, r := range refs {
		if strings.HasPrefix(r.URL, "https://") {
			return true
		}
	}
	return false
}

// TestEveryEntryLinked: every entry a lookup shows cites a primary source a
// reader can open, in both languages.
func TestEveryEntryLinked(t *testing.T) {
	b := loadBase(t)
	for _, l := range []lang.Tag{lang.English, lang.Japanese} {
		for _, d := range allDiagnoses(b, l) {
			if !hasLink(d.References) {
				t.Errorf("%s %s %s: no linked reference", l, d.Kind, cmpOr(d.Name, d.Code))
			}
		}
		for v, s := range b.states {
			if d := stateDiagnosis(s, l); !hasLink(d.References) {
				t.Errorf("state %d: no linked reference", v)
			}
		}
	}
}

// TestUnlistedWin32Code: a 0x8007xxxx the table lacks is still named as
// the Win32 error it carries, with Microsoft's page for its range.
func TestUnlistedWin32Code(t *testing.T) {
	tests := []struct {
		code string
		lang lang.Tag
		want string
		page string
	}{
		{"0x80070bb8", lang.English, "Win32 error 3000", "system-error-codes--1700-3999-"},
		{"0x80070bb8", lang.Japanese, "Win32 エラー 3000", "ja-jp/windows/win32/debug/system-error-codes--1700-3999-"},
		{"0x8007000b", lang.English, "Win32 error 11", "system-error-codes--0-499-"},
	}
	for _, tt := range tests {
		d := unknownCodeDiagnosis(tt.code, "", tt.lang)
		if !strings.Contains(d.Title, tt.want) || !strings.Contains(d.Meaning, tt.want) {
			t.Errorf("%s %s: %q / %q, want %q", tt.code, tt.lang, d.Title, d.Meaning, tt.want)
		}
		if len(d.References) != 1 || !strings.Contains(d.References[0].URL, tt.page) {
			t.Errorf("%s %s: references %+v, want the page %s", tt.code, tt.lang, d.References, tt.page)
		}
	}
}

// TestWriterLookupShowsOtherVersions: a writer's lookup shows the resets of
// the versions its advice does not cover, warnings inline, in every
// rendering (as notes).
func TestWriterLookupShowsOtherVersions(t *testing.T) {
	b := loadBase(t)
	tests := []struct {
		writer string
		lang   lang.Tag
		want   []string
	}{
		{"Microsoft Exchange Writer", lang.English, []string{"2007 and 2010", "MSExchangeIS", "⚠ Caution:"}},
		{"Microsoft Exchange Writer", lang.Japanese, []string{"2007 / 2010", "MSExchangeIS", "⚠ 注意:"}},
		{"NTDS", lang.English, []string{"Windows Server 2003", "reboot the domain controller"}},
		{"WIDWriter", lang.Japanese, []string{"MSSQL$MICROSOFT##SSEE", "SqlServerWriter"}},
	}
	for _, tt := range tests {
		d := b.Lookup([]string{tt.writer}, tt.lang).Diagnoses[0]
		notes := strings.Join(d.Notes, "\n")
		for _, w := range tt.want {
			if !strings.Contains(notes, w) {
				t.Errorf("%s %s: notes lack %q: %q", tt.writer, tt.lang, w, notes)
			}
		}
		if strings.Contains(notes, d.Steps[0]) {
			t.Errorf("%s %s: the advice is repeated in the notes", tt.writer, tt.lang)
		}
	}
}

// TestConcurrentPastedLookups: the pasted-text index is built once, on
// first use, by whichever lookup comes first; concurrent lookups agree.
func TestConcurrentPastedLookups(t *testing.T) {
	b, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 8)
	for range 8 {
		go func() {
			r := b.Lookup([]string{"タイムアウト"}, lang.Auto)
			if len(r.Diagnoses) == 0 {
				done <- ""
				return
			}
			done <- r.Diagnoses[0].Code
		}()
	}
	for range 8 {
		if got := <-done; got != "0x800423f2" {
			t.Errorf("concurrent lookup = %q, want 0x800423f2", got)
		}
	}
}
