// Package knoterr is knotmock's one error catalogue: the Knot error object,
// the Laravel-style messages Knot uses where it documents none, and the named
// error examples of the OpenAPI document (see Catalogue). Handlers never
// write error strings of their own; they take them from here.
package knoterr

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Knot's error_type values.
const (
	TypeInvalidInput         = "INVALID_INPUT"
	TypeInvalidRequest       = "INVALID_REQUEST"
	TypeUserError            = "USER_ERROR"
	TypeSessionError         = "SESSION_ERROR"
	TypeMerchantAccountError = "MERCHANT_ACCOUNT_ERROR"
	TypeMerchantError        = "MERCHANT_ERROR"
	TypeSubscriptionError    = "SUBSCRIPTION_ERROR"
	TypeTransactionError     = "TRANSACTION_ERROR"
	TypeCartError            = "CART_ERROR"
)

// Knot's error_code values used by the sandbox itself (the rest come from
// the document's examples).
const (
	CodeInvalidAPIKeys = "INVALID_API_KEYS"
	CodeInvalidField   = "INVALID_FIELD"
	CodeInvalidJWE     = "INVALID_JWE"
	CodeNoAccess       = "NO_ACCESS"
)

// Error is a Knot error response: an HTTP status and the JSON error object
// {"error_type","error_code","error_message"}. A few documented responses
// are not error objects (the 500 is {"message":"Server Error"}); for those
// Type, Code and Message are empty and Body holds the document's JSON.
type Error struct {
	Status  int
	Type    string
	Code    string
	Message string
	body    []byte
}

type wire struct {
	Type    string `json:"error_type"`
	Code    string `json:"error_code"`
	Message string `json:"error_message"`
}

// New builds an error object with a pre-encoded body.
func New(status int, typ, code, message string) *Error {
	e := &Error{Status: status, Type: typ, Code: code, Message: message}
	e.body, _ = json.Marshal(wire{typ, code, message})
	return e
}

// Raw wraps a documented response body that is not an error object.
// A body that is an error object is re-encoded in Knot's field order
// (error_type, error_code, error_message), whatever order it came in.
func Raw(status int, body []byte) *Error {
	var fields map[string]json.RawMessage
	var w wire
	if json.Unmarshal(body, &fields) == nil && len(fields) == 3 && json.Unmarshal(body, &w) == nil &&
		w.Type != "" && w.Code != "" && w.Message != "" {
		return New(status, w.Type, w.Code, w.Message)
	}
	return &Error{Status: status, body: body}
}

func (e *Error) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("%d %s", e.Status, e.body)
	}
	return fmt.Sprintf("%d %s/%s: %s", e.Status, e.Type, e.Code, e.Message)
}

// Body is the JSON the client receives.
func (e *Error) Body() []byte { return e.body }

// WithCode returns a copy with another error_code (Switch Card reports the
// same card rules as INVALID_JWE or INVALID_FIELD depending on the variant).
func (e *Error) WithCode(code string) *Error {
	return New(e.Status, e.Type, code, e.Message)
}

// Write sends the error.
func (e *Error) Write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	_, _ = w.Write(e.body)
}

// Fixed errors that do not depend on an operation.
var (
	// AuthFailed is the documented 401 of every endpoint.
	AuthFailed = New(http.StatusUnauthorized, TypeInvalidInput, CodeInvalidAPIKeys, "Invalid client_id or secret provided.")
	// ServerError is the documented 500 body.
	ServerError = Raw(http.StatusInternalServerError, []byte(`{"message":"Server Error"}`))
)

// Attr renders a field path the way Knot's (Laravel) messages name fields:
// underscores become spaces and nested names are joined with dots, e.g.
// external_user_id → "external user id", user.phone_number → "user.phone number".
func Attr(path ...string) string {
	return strings.ReplaceAll(strings.Join(path, "."), "_", " ")
}

func invalidField(format string, args ...any) *Error {
	return New(http.StatusBadRequest, TypeInvalidRequest, CodeInvalidField, fmt.Sprintf(format, args...))
}

// Laravel-style validation messages, the wording Knot uses for every
// documented validation error. attr is already rendered with Attr.
func Required(attr string) *Error   { return invalidField("The %s field is required.", attr) }
func Present(attr string) *Error    { return invalidField("The %s is required.", attr) }
func String(attr string) *Error     { return invalidField("The %s must be a string.", attr) }
func Boolean(attr string) *Error    { return invalidField("The %s field must be true or false.", attr) }
func Integer(attr string) *Error    { return invalidField("The %s must be an integer.", attr) }
func Number(attr string) *Error     { return invalidField("The %s must be a number.", attr) }
func Numeric(attr string) *Error    { return invalidField("The %s must be numeric.", attr) }
func Array(attr string) *Error      { return invalidField("The %s must be an array.", attr) }
func Object(attr string) *Error     { return invalidField("The %s must be an object.", attr) }
func Selected(attr string) *Error   { return invalidField("The selected %s is invalid.", attr) }
func Email(attr string) *Error      { return invalidField("The %s must be a valid email address.", attr) }
func Format(attr string) *Error     { return invalidField("The %s format is invalid.", attr) }
func UUID(attr string) *Error       { return invalidField("The %s must be a valid UUID.", attr) }
func Date(attr string) *Error       { return invalidField("The %s is not a valid date.", attr) }
func Prohibited(attr string) *Error { return invalidField("The %s field is prohibited.", attr) }
func MaxChars(attr string, n uint64) *Error {
	return invalidField("The %s may not be greater than %d characters.", attr, n)
}
func MinChars(attr string, n uint64) *Error {
	return invalidField("The %s must be at least %d characters.", attr, n)
}
func Max(attr string, n float64) *Error {
	return invalidField("The %s may not be greater than %s.", attr, num(n))
}
func Min(attr string, n float64) *Error {
	return invalidField("The %s must be at least %s.", attr, num(n))
}
func MaxItems(attr string, n uint64) *Error {
	return invalidField("The %s may not have more than %d items.", attr, n)
}
func MinItems(attr string, n uint64) *Error {
	return invalidField("The %s must have at least %d items.", attr, n)
}

// RequiredWhen is Laravel's required_if wording, as in the documented
// "The card_id field is required when type = card_switcher." (Laravel keeps
// the raw field name in this rule.)
func RequiredWhen(field, other, value string) *Error {
	return invalidField("The %s field is required when %s = %s.", field, other, value)
}

// Request-level errors: the body itself is unusable.
func MalformedJSON() *Error { return invalidField("The request body must be valid JSON.") }
func UnsupportedMediaType(got string) *Error {
	return invalidField("The request body must be sent as application/json, not %s.", got)
}
func BodyTooLarge(limit int64) *Error {
	return New(http.StatusRequestEntityTooLarge, TypeInvalidRequest, CodeInvalidField,
		fmt.Sprintf("The request body may not be greater than %d bytes.", limit))
}

// Routing errors, in Laravel's own wording.
func RouteNotFound(path string) *Error {
	return New(http.StatusNotFound, TypeInvalidRequest, CodeInvalidField,
		fmt.Sprintf("The route %s could not be found.", laravelPath(path)))
}

// laravelPath is how Laravel's Request::path() shows a path: without the
// leading slash, except for the root.
func laravelPath(p string) string {
	if t := strings.Trim(p, "/"); t != "" {
		return t
	}
	return "/"
}
func MethodNotAllowed(method, path string, allowed []string) *Error {
	return New(http.StatusMethodNotAllowed, TypeInvalidRequest, CodeInvalidField,
		fmt.Sprintf("The %s method is not supported for route %s. Supported methods: %s.",
			method, laravelPath(path), strings.Join(allowed, ", ")))
}

func num(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprintf("%d", int64(f))
	}
	return fmt.Sprintf("%g", f)
}

// Sandbox errors for the Prefer header (a knotmock feature, not Knot's).
func PreferInvalid(header string) *Error {
	return invalidField("The Prefer header %q is not understood. Use code=<status> and/or example=<name>.", header)
}
func PreferUnknown(operationID, asked string) *Error {
	return invalidField("The Prefer header asks for %s, which %s does not document.", asked, operationID)
}

// Admin API errors (knotmock's own endpoints under /_mock/).
func WaitTimeout(d time.Duration) *Error {
	return New(http.StatusRequestTimeout, TypeInvalidRequest, "TIMEOUT",
		fmt.Sprintf("No matching webhook delivery within %s.", d))
}
func Unavailable(what string) *Error {
	return New(http.StatusServiceUnavailable, TypeInvalidRequest, "UNAVAILABLE",
		fmt.Sprintf("The sandbox cannot do this now: %s.", what))
}

// UnknownScenario answers a X-Knotmock-Scenario header naming no scenario.
func UnknownScenario(name string) *Error {
	return invalidField("The selected scenario %q is invalid. GET /_mock/scenarios lists them.", name)
}
