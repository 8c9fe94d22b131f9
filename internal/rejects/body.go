package rejects

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Body reads the body of a request not yet authenticated, at most max
// bytes. A Content-Length over max is refused before a byte is read, so a
// client announcing a large body holds nothing; a body that runs past max
// is refused when it does. On failure it returns the reason and the HTTP
// status to answer with.
func Body(w http.ResponseWriter, r *http.Request, max int64) (body []byte, reason string, status int, err error) {
	if r.ContentLength > max {
		return nil, TooLarge, http.StatusRequestEntityTooLarge,
			fmt.Errorf("Content-Length %d over the %d-byte limit", r.ContentLength, max)
	}
	body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, TooLarge, http.StatusRequestEntityTooLarge, err
		}
		return nil, Unread, http.StatusBadRequest, err
	}
	return body, "", 0, nil
}
