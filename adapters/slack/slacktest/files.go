package slacktest

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// File is a file shared in the fake workspace.
type File struct {
	ID       string // assigned by AddFile when empty
	Name     string
	Mimetype string // default text/plain
	// Content is served as is; when nil, Size bytes of Fill repeated are
	// streamed, so large files cost no memory.
	Content []byte
	Size    int64
	Fill    []byte
	// Announced, when not zero, is the size the file object claims,
	// whatever is served.
	Announced int64
	// SignIn serves Slack's sign-in page instead of the file, as Slack does
	// when the token cannot read it.
	SignIn bool
}

func (f *File) length() int64 {
	if f.Content != nil {
		return int64(len(f.Content))
	}
	return f.Size
}

// AddFile shares a file and returns the file object events carry.
func (s *Server) AddFile(f File) slack.File {
	s.mu.Lock()
	if f.ID == "" {
		s.seq++
		f.ID = "F" + strconv.Itoa(s.seq)
	}
	if f.Mimetype == "" {
		f.Mimetype = "text/plain"
	}
	if f.Content == nil && len(f.Fill) == 0 {
		f.Fill = []byte("07/13/2017 04:37:54.538 Using Common Provider\r\n")
	}
	s.files[f.ID] = &f
	s.mu.Unlock()
	return s.fileObject(&f)
}

func (s *Server) file(id string) *File {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files[id]
}

// fileObject is the file as Slack describes it in events and files.info.
func (s *Server) fileObject(f *File) slack.File {
	size := f.Announced
	if size == 0 {
		size = f.length()
	}
	path := s.srv.URL + "/files-pri/" + TeamID + "-" + f.ID + "/"
	return slack.File{
		ID:                 f.ID,
		Name:               f.Name,
		Title:              f.Name,
		Mimetype:           f.Mimetype,
		Filetype:           "text",
		PrettyType:         "Plain Text",
		User:               "UALICE",
		Mode:               "hosted",
		Size:               int(size),
		URLPrivate:         path + url.PathEscape(f.Name),
		URLPrivateDownload: path + "download/" + url.PathEscape(f.Name),
	}
}

// serveFile serves /files-pri/<team>-<id>/[download/]<name> to a request
// bearing the bot token, with files:read; anyone else is redirected to the
// sign-in page, as Slack does.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	c := Call{Method: "files.download", Form: url.Values{"path": {r.URL.Path}}, Auth: token(r, url.Values{}), Status: http.StatusOK}
	defer func() { s.record(c) }()
	if flt, ok := s.fault(c.Method); ok {
		c.Status, c.Error = writeFault(w, flt)
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, "/files-pri/"+TeamID+"-")
	id, _, _ := strings.Cut(rest, "/")
	f := s.file(id)
	if f == nil {
		c.Status = http.StatusNotFound
		http.NotFound(w, r)
		return
	}
	if c.Auth != BotToken || s.lacks("files:read") || f.SignIn {
		c.Status, c.Error = http.StatusFound, "sign_in"
		http.Redirect(w, r, "/signin?redir="+url.QueryEscape(r.URL.Path), http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", f.Mimetype)
	w.Header().Set("Content-Length", strconv.FormatInt(f.length(), 10))
	if f.Content != nil {
		_, _ = w.Write(f.Content)
		return
	}
	_, _ = io.CopyN(w, &repeater{fill: f.Fill}, f.Size)
}

// serveSignIn is the page Slack shows instead of a file the caller may not
// read: HTML, status 200.
func serveSignIn(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>Slack</title></head>"+
		"<body><h1>Sign in to your workspace</h1></body></html>")
}

// repeater reads fill over and over.
type repeater struct {
	fill []byte
	off  int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.fill[r.off:])
		n += c
		r.off = (r.off + c) % len(r.fill)
	}
	return n, nil
}
