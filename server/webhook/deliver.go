package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

type outcome int

const (
	outcomeDelivered outcome = iota
	outcomeFailed
	outcomeAborted // cancelled by Close
)

// attempt POSTs the job's payload once and journals the attempt. Logs name
// the client, event, URL, attempt, status and latency only: never the
// payload, the signature or the secret.
func (d *Dispatcher) attempt(j *job) outcome {
	j.attempts++
	ev := j.ev
	if _, secret, ok := d.cfg.Client(ev.ClientID); ok {
		j.secret = secret
	}
	sig := Sign(j.secret, len(ev.Payload), ev.Name, ev.SessionID)
	a := Attempt{N: j.attempts, At: d.cfg.Now(), Signature: sig}

	d.attempts.Add(1)
	d.inFlight.Add(1)
	start := time.Now()
	code, err := d.post(j.url, ev.Payload, sig)
	latency := time.Since(start)
	d.inFlight.Add(-1)

	a.StatusCode = code
	a.LatencyMS = math.Round(float64(latency.Microseconds())) / 1000
	res := outcomeDelivered
	switch {
	case err != nil && d.base.Err() != nil:
		a.Error, res = "abandoned: dispatcher closed during the attempt", outcomeAborted
	case err != nil:
		a.Error, res = transportError(err), outcomeFailed
	case code >= 300 && code < 400:
		a.Error, res = "HTTP "+strconv.Itoa(code)+" (redirects are not followed)", outcomeFailed
	case code < 200 || code >= 300:
		a.Error, res = "HTTP "+strconv.Itoa(code), outcomeFailed
	}
	j.rec.update(func(dl *Delivery) { dl.Attempts = append(dl.Attempts, a) })

	attrs := []any{"client_id", ev.ClientID, "event", ev.Name, "url", logURL(j.url),
		"attempt", a.N, "status", code, "latency_ms", a.LatencyMS}
	if res == outcomeDelivered {
		d.log.Debug("webhook delivered", attrs...)
	} else {
		d.log.Info("webhook attempt failed", append(attrs, "error", a.Error)...)
	}
	return res
}

// post sends one request with exactly the documented headers (plus
// User-Agent) and returns the status code.
func (d *Dispatcher) post(url string, body []byte, sig string) (int, error) {
	ctx, cancel := context.WithTimeout(d.base, d.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header = http.Header{
		"Content-Type":    {ContentType},
		"Encryption-Type": {EncryptionType},
		"Knot-Signature":  {sig},
		"User-Agent":      {UserAgent},
	}
	req.ContentLength = int64(len(body)) // written as Content-Length
	resp, err := d.http.Do(req)
	if err != nil {
		return 0, err
	}
	// Drain a little so the connection can be reused, then close.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// transportError is what went wrong without the URL, which net/http puts
// in its errors (a URL can carry a token).
func transportError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// logURL is a webhook URL as logs may show it: no user info, no query.
func logURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}
