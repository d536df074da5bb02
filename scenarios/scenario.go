// Package scenarios parses, validates and selects the scenario files that script what happens after
// a user logs in to a merchant (docs/scenarios.md). The built-in scenarios are embedded from
// builtin/*.yaml; Load adds a directory of user files. The engine that runs them lives in server.
package scenarios

import (
	"regexp"
	"slices"
	"time"
)

// Scenario is one parsed scenario file.
type Scenario struct {
	Name, Description string
	Match             Match
	DefaultFor        []string // products whose POST /development/accounts/link runs this scenario
	Steps             []Step
	Source            string // "builtin/otp.yaml" or the user file's path
	Line              int    // line of `name:`
	BuiltIn           bool
}

// Login is what a login is matched on.
type Login struct {
	Product                            string
	MerchantID                         int
	ExternalUserID, Username, Password string
}

// Match holds the conditions of `match:`; a nil or empty field is no condition.
type Match struct {
	Username, Password *string
	Products           []string
	Merchants          []int
	ExternalUserID     *regexp.Regexp
}

// Conditions is the number of conditions given (0 for an empty match).
func (m Match) Conditions() int {
	n := 0
	for _, given := range []bool{m.Username != nil, m.Password != nil, len(m.Products) > 0,
		len(m.Merchants) > 0, m.ExternalUserID != nil} {
		if given {
			n++
		}
	}
	return n
}

// Matches reports whether every given condition holds for l.
func (m Match) Matches(l Login) bool {
	switch {
	case m.Username != nil && *m.Username != l.Username,
		m.Password != nil && *m.Password != l.Password,
		len(m.Products) > 0 && !slices.Contains(m.Products, l.Product),
		len(m.Merchants) > 0 && !slices.Contains(m.Merchants, l.MerchantID),
		m.ExternalUserID != nil && !m.ExternalUserID.MatchString(l.ExternalUserID):
		return false
	}
	return true
}

// Step is one step of a scenario: Kind says which of the other fields is set.
type Step struct {
	Line           int
	Kind           string            // KindSDK, KindWebhook, ...
	Event          string            // sdk, webhook
	Metadata       map[string]string // sdk (nil when not given)
	Data           map[string]any    // webhook: merged over the payload's data (nil when not given)
	Duration       time.Duration     // delay
	Input          *Input
	Authenticate   *Authenticate
	Account        string // AccountConnected | AccountDisconnected
	Transactions   *Transactions
	Vault          *Vault
	Cart           *Cart
	MerchantStatus *MerchantStatus
	Fault          *Fault
	Message        string // login_error
	End            *End
}

// Step kinds, the key that names a step's kind.
const (
	KindSDK            = "sdk"
	KindWebhook        = "webhook"
	KindDelay          = "delay"
	KindInput          = "input"
	KindAuthenticate   = "authenticate"
	KindAccount        = "account"
	KindTransactions   = "transactions"
	KindSubscriptions  = "subscriptions"
	KindVault          = "vault"
	KindMerchantStatus = "merchant_status"
	KindDetect         = "detect"
	KindFault          = "fault"
	KindCart           = "cart"
	KindLoginError     = "login_error"
	KindEnd            = "end"
)

// Kinds lists the step kinds in the order of docs/scenarios.md.
var Kinds = []string{KindSDK, KindWebhook, KindDelay, KindInput, KindAuthenticate, KindAccount,
	KindTransactions, KindSubscriptions, KindVault, KindMerchantStatus, KindDetect, KindFault,
	KindCart, KindLoginError, KindEnd}

// Values of the other enumerations of the format.
const (
	InputOTP       = "otp"
	InputQuestions = "questions"
	InputApproval  = "approval"
	InputLicense   = "license"
	InputZipcode   = "zipcode"

	AccountConnected    = "connected"
	AccountDisconnected = "disconnected"

	EndSuccess = "success"
	EndClose   = "close"
	EndError   = "error"
)

// Products are the session types a match or default_for may name.
var Products = []string{"card_switcher", "transaction_link", "link", "vault"}

// SDKEvents are the onEvent names of knot-api.md §5.3 an sdk step may send.
var SDKEvents = []string{"MERCHANT_CLICKED", "LOGIN_STARTED", "AUTHENTICATED", "OTP_REQUIRED",
	"QUESTIONS_REQUIRED", "SECURITY_QUESTIONS_REQUIRED", "APPROVAL_REQUIRED", "ZIPCODE_REQUIRED",
	"LICENSE_REQUIRED", "REFRESH_SESSION_REQUEST"}

// InputKinds are the kinds of input a flow can wait for.
var InputKinds = []string{InputOTP, InputQuestions, InputApproval, InputLicense, InputZipcode}

// DefaultInputTimeout is an input's timeout when the file gives none.
const DefaultInputTimeout = 5 * time.Minute

// Input waits for the user. A wrong answer runs OnWrong, then the input waits again; after Attempts
// wrong answers (0 = unlimited) OnExhausted runs instead and the flow goes on after it.
type Input struct {
	Kind                   string   // otp | questions | approval | license | zipcode
	Expect                 []string // one value for otp/license/zipcode; the answers for questions; empty for approval
	Questions              []string // questions: the questions shown
	Attempts               int      // 0 = unlimited
	FailFirst              int      // the first N answers are wrong whatever they are
	OnWrong                []Step   // approval: the user declined
	OnExhausted, OnTimeout []Step
	HasOnTimeout           bool // on_timeout was given (possibly empty); false: the engine's default
	Timeout                time.Duration
}

// Authenticate links the account. SendCard nil means the default for the session's product.
type Authenticate struct {
	SendCard *bool
	CardFail string // `card: {fail: REASON}`: the card switch fails with that CARD_FAILED reason
}

// Transactions generates New transactions and updates Updated of them.
type Transactions struct{ New, Updated int }

// Cart is `cart: {sync_fail: REASON, checkout_fail: REASON}`: the outcome
// of the account's next cart sync and checkout (a failure with that reason;
// an outcome left out stays a success).
type Cart struct {
	SyncFail, CheckoutFail string
}

// Vault is `vault: succeeded` (Failed false) or `vault: {failed: REASON}`.
type Vault struct {
	Failed bool
	Reason string
}

// MerchantStatus is a MERCHANT_STATUS_UPDATE; Type defaults to card_switcher, Platform to web.
type MerchantStatus struct{ Status, Type, Platform string }

// Fault makes the tenant's next Times calls of Operation answer with Status, the documented
// example Example, or late by Delay (exactly one of the three is set).
type Fault struct {
	Operation string
	Status    int
	Example   string
	Delay     time.Duration
	Times     int
}

// End ends the flow: Kind is success, close or error (with Message).
type End struct{ Kind, Message string }

// Options are what the parser checks names against.
type Options struct {
	Webhooks   []string // known webhook event names; nil = don't check
	Operations []string // known operationIds for fault; nil = don't check
}
