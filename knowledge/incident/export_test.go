package incident

// ZoneOffset lets the external tests check a zone the way the stamps read it.
var ZoneOffset = zoneOffset
