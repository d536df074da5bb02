package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
	"github.com/knotmock/knotmock/server/validate"
)

// ctxClient is the gin context key under which the request log finds the
// authenticated client_id.
const ctxClient = "knotmock.client"

// Call is one validated request handed to a handler.
type Call struct {
	*gin.Context
	s      *Server
	Op     *validate.Operation
	Client *Client
	Tenant *state.Tenant
	Body   []byte         // the raw JSON body, already validated ("" when none)
	Fields map[string]any // the same body decoded by validation (nil when none)
}

// String reads a validated string field ("" when absent or null).
func (c *Call) String(name string) string {
	s, _ := c.Fields[name].(string)
	return s
}

// Now is the sandbox time of the call.
func (c *Call) Now() time.Time { return c.s.clock.Now() }

// Decode reads the validated body into v. Validation already guaranteed the
// shape, so a failure here means the handler's type disagrees with the
// document: it answers 500 and logs why.
func (c *Call) Decode(v any) bool {
	if len(c.Body) == 0 {
		return true
	}
	if err := json.Unmarshal(c.Body, v); err != nil {
		// JSON Schema's integer admits 19.0 and 1e300; Go's int does not.
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" && (te.Value == "number" || strings.HasPrefix(te.Value, "number ")) {
			c.Fail(knoterr.Integer(knoterr.Attr(strings.Split(te.Field, ".")...)))
			return false
		}
		c.s.log.Error("handler type disagrees with the document", "op", c.Op.ID, "err", err)
		c.Fail(knoterr.ServerError)
		return false
	}
	return true
}

// Fail sends a Knot error.
func (c *Call) Fail(e *knoterr.Error) { writeErr(c.Context, e) }

// JSON sends a value as JSON. Like Knot, it leaves &, < and > as they are
// ("johnson & johnson"), which encoding/json would escape.
func (c *Call) JSON(status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if err != nil {
		c.s.log.Error("encode response", "op", c.Op.ID, "err", err)
		c.Fail(knoterr.ServerError)
		return
	}
	c.Data(status, "application/json", b)
}

// Raw sends pre-encoded JSON.
func (c *Call) Raw(status int, body []byte) { c.Data(status, "application/json", body) }

var successBody = []byte(`{"message":"Success"}`)

// Success sends Knot's acknowledgement {"message":"Success"}.
func (c *Call) Success(status int) { c.Raw(status, successBody) }

func writeErr(c *gin.Context, e *knoterr.Error) {
	c.Data(e.Status, "application/json", e.Body())
	c.Abort()
}

// readBody reads the request body up to limit bytes.
func readBody(c *gin.Context, limit int64) ([]byte, *knoterr.Error) {
	r := c.Request
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > limit {
		return nil, knoterr.BodyTooLarge(limit)
	}
	size := r.ContentLength
	if size < 0 || size > 64<<10 {
		size = 512
	}
	buf := make([]byte, 0, size+1)
	lr := io.LimitReader(r.Body, limit+1)
	for {
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, knoterr.MalformedJSON()
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
	if int64(len(buf)) > limit {
		return nil, knoterr.BodyTooLarge(limit)
	}
	return buf, nil
}
