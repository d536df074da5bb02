package server

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
)

// Cursors are opaque to clients and look like Knot's own: base64url without
// padding of Laravel's cursor-pagination JSON {"id":<n>,"_pointsToNextItems":true}
// (Knot's documented example decodes to {"id":22781,"_pointsToNextItems":true}).
//
// Here n is a position in an append-only list: the number of items before
// the next page, which is also the 1-based id of the last item already
// returned, so the cursor means "items after id n" exactly as Laravel's does.

const (
	cursorHead = `{"id":`
	cursorTail = `,"_pointsToNextItems":true}`
)

// encodeCursor returns the cursor of the page starting at position pos.
func encodeCursor(pos int) string {
	var buf [len(cursorHead) + 20 + len(cursorTail)]byte
	b := append(buf[:0], cursorHead...)
	b = strconv.AppendInt(b, int64(pos), 10)
	b = append(b, cursorTail...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor returns the position a cursor points to. It accepts the
// cursors encodeCursor makes, with or without base64 padding and in the
// standard alphabet too, and any JSON object with a non-negative integer
// "id". Range checks against a list are the caller's.
func decodeCursor(s string) (int, bool) {
	s = strings.TrimRight(s, "=")
	if s == "" || len(s) > 256 {
		return 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(s); err != nil {
			return 0, false
		}
	}
	if pos, ok := canonicalCursor(raw); ok {
		return pos, true
	}
	var c struct {
		ID *int64 `json:"id"`
	}
	if json.Unmarshal(raw, &c) != nil || c.ID == nil || *c.ID < 0 || *c.ID > maxCursor {
		return 0, false
	}
	return int(*c.ID), true
}

// maxCursor bounds positions so that they fit an int on every platform.
const maxCursor = 1<<31 - 1

// canonicalCursor parses exactly what encodeCursor writes, without
// reflection (the common case).
func canonicalCursor(raw []byte) (int, bool) {
	if len(raw) <= len(cursorHead)+len(cursorTail) ||
		string(raw[:len(cursorHead)]) != cursorHead || string(raw[len(raw)-len(cursorTail):]) != cursorTail {
		return 0, false
	}
	digits := raw[len(cursorHead) : len(raw)-len(cursorTail)]
	if len(digits) > 10 || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	n := 0
	for _, d := range digits {
		if d < '0' || d > '9' {
			return 0, false
		}
		n = n*10 + int(d-'0')
	}
	if n > maxCursor {
		return 0, false
	}
	return n, true
}
