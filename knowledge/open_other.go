//go:build !unix

package knowledge

import "os"

// openFlags opens an overlay file; named pipes are refused by their type
// before they are opened.
const openFlags = os.O_RDONLY
