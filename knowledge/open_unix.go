//go:build unix

package knowledge

import (
	"os"
	"syscall"
)

// openFlags opens an overlay file without waiting: opening a named pipe
// for reading otherwise blocks until someone writes to it.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK
