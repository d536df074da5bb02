package scenarios

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
)

const maxStepDepth = 16 // on_wrong inside on_wrong inside ...

// siblingOptions are the keys a step may have next to its kind key; innerOptions the keys of the
// map that is the kind's value.
var (
	siblingOptions = map[string][]string{
		KindSDK:     {"metadata"},
		KindWebhook: {"data"},
		KindInput: {"expect", "questions", "attempts", "fail_first", "on_wrong", "on_exhausted",
			"on_timeout", "timeout"},
	}
	innerOptions = map[string][]string{
		KindAuthenticate:   {"send_card", "card"},
		KindTransactions:   {"new", "updated"},
		KindSubscriptions:  {},
		KindVault:          {"failed"},
		KindMerchantStatus: {"status", "type", "platform"},
		KindDetect:         {},
		KindFault:          {"operation", "status", "example", "delay", "times"},
		KindCart:           {"sync_fail", "checkout_fail"},
		KindEnd:            {"error"},
	}
	merchantTypes = []string{"card_switcher", "transaction_link", "shopping"}
	platforms     = []string{"ios", "android", "web"}
)

// steps decodes a list of steps; what names it (steps, on_wrong, ...). A nested list may be empty.
func (d *decoder) steps(n ast.Node, line int, what string, depth int) []Step {
	line = lineOf(n, line)
	if depth > maxStepDepth {
		d.errorf(line, "steps nested too deeply")
		return nil
	}
	if d.resolve(n) == nil && depth > 0 {
		return []Step{}
	}
	items, ok := d.sequence(n)
	if !ok {
		d.errorf(line, "%s must be a list of steps", what)
		return nil
	}
	out := make([]Step, 0, len(items))
	for _, it := range items {
		if st, ok := d.step(it, line, depth); ok {
			out = append(out, st)
		}
	}
	return out
}

func (d *decoder) step(n ast.Node, fallback, depth int) (Step, bool) {
	line := lineOf(n, fallback)
	entries, ok := d.mapping(n)
	if !ok {
		d.errorf(line, "a step must be a map with exactly one of: %s", list(Kinds))
		return Step{}, false
	}
	var kinds []string
	var kind entry
	for _, e := range entries {
		if contains(Kinds, e.key) {
			kinds, kind = append(kinds, e.key), e
		}
	}
	if len(kinds) != 1 {
		found := "none"
		if len(kinds) > 1 {
			found = strings.Join(kinds, " and ")
		}
		d.errorf(line, "a step must be a map with exactly one of: %s (found %s)", list(Kinds), found)
		return Step{}, false
	}
	k := kind.key
	var opts []entry
	for _, e := range entries {
		switch {
		case e.key == k:
		case contains(siblingOptions[k], e.key):
			opts = append(opts, e)
		case len(siblingOptions[k]) > 0:
			d.errorf(e.line, "unknown option %q of %s step (known: %s)", e.key, k, list(siblingOptions[k]))
		case len(innerOptions[k]) > 0:
			d.errorf(e.line, "unknown option %q of %s step (its options go inside %s: {%s})",
				e.key, k, k, list(innerOptions[k]))
		default:
			d.errorf(e.line, "unknown option %q of %s step (it takes none)", e.key, k)
		}
	}
	st := Step{Line: kind.line, Kind: k}
	vline := kind.line
	var inner []entry
	if known, ok := innerOptions[k]; ok {
		v := d.resolve(kind.value)
		if v != nil {
			if inner, ok = d.mapping(v); !ok && k != KindVault && k != KindEnd {
				d.errorf(vline, "%s must be a map (%s: {%s})", k, k, list(known))
				return st, false
			}
		}
		d.checkOptions(inner, k, known)
	}
	before := len(d.errs)
	switch k {
	case KindSDK, KindWebhook:
		d.event(&st, kind, opts)
	case KindDelay:
		st.Duration, _ = d.duration(kind.value, kind.line, "delay")
	case KindInput:
		st.Input = d.input(kind, opts, depth)
	case KindAuthenticate:
		st.Authenticate = d.authenticate(inner)
	case KindAccount:
		s, _ := d.scalar(kind.value)
		if s != AccountConnected && s != AccountDisconnected {
			d.errorf(vline, "account must be connected or disconnected")
		}
		st.Account = s
	case KindTransactions:
		st.Transactions = &Transactions{}
		for _, e := range inner {
			v, _ := d.count(e.value, e.line, e.key)
			if e.key == "new" {
				st.Transactions.New = v
			} else {
				st.Transactions.Updated = v
			}
		}
	case KindSubscriptions, KindDetect:
	case KindVault:
		st.Vault = d.vault(kind, inner)
	case KindMerchantStatus:
		st.MerchantStatus = d.merchantStatus(vline, inner)
	case KindFault:
		st.Fault = d.fault(vline, inner)
	case KindCart:
		st.Cart = &Cart{}
		for _, e := range inner {
			v, ok := d.scalar(e.value)
			if !ok || v == "" {
				d.errorf(e.line, "cart %s must be a reason", e.key)
			}
			if e.key == "sync_fail" {
				st.Cart.SyncFail = v
			} else {
				st.Cart.CheckoutFail = v
			}
		}
		if len(inner) == 0 {
			d.errorf(vline, "cart needs sync_fail or checkout_fail")
		}
	case KindLoginError:
		s, ok := d.scalar(kind.value)
		if !ok || s == "" {
			d.errorf(vline, "login_error must be a message")
		}
		st.Message = s
	case KindEnd:
		st.End = d.end(kind, inner)
	}
	return st, len(d.errs) == before
}

// checkOptions reports unknown keys of a kind's value map.
func (d *decoder) checkOptions(entries []entry, kind string, known []string) {
	if len(known) == 0 {
		d.checkKeys(entries, known, "unknown option %q of %s step (it takes none)", kind)
		return
	}
	d.checkKeys(entries, known, "unknown option %q of %s step (known: %s)", kind, list(known))
}

func (d *decoder) event(st *Step, kind entry, opts []entry) {
	line := lineOf(kind.value, kind.line)
	ev, ok := d.scalar(kind.value)
	switch {
	case !ok || ev == "":
		d.errorf(line, "%s must be an event name", kind.key)
	case kind.key == KindSDK && !contains(SDKEvents, ev):
		d.errorf(line, "unknown SDK event %q (known: %s)", ev, list(SDKEvents))
	case kind.key == KindWebhook && d.opts.Webhooks != nil && !contains(d.opts.Webhooks, ev):
		d.errorf(line, "unknown webhook event %q (known: %s)", ev, list(d.opts.Webhooks))
	}
	st.Event = ev
	for _, o := range opts {
		oline := lineOf(o.value, o.line)
		if d.resolve(o.value) == nil {
			continue
		}
		entries, ok := d.mapping(o.value)
		if !ok {
			d.errorf(oline, "%s must be a map", o.key)
			continue
		}
		if o.key == "data" {
			st.Data, _ = d.value(o.value, oline, 0).(map[string]any)
			continue
		}
		st.Metadata = make(map[string]string, len(entries))
		for _, e := range entries {
			s, ok := d.scalar(e.value)
			if !ok {
				d.errorf(lineOf(e.value, e.line), "metadata values must be strings")
			}
			st.Metadata[e.key] = s
		}
	}
}

func (d *decoder) authenticate(inner []entry) *Authenticate {
	a := &Authenticate{}
	for _, e := range inner {
		line := lineOf(e.value, e.line)
		if e.key == "send_card" {
			b, ok := d.resolve(e.value).(*ast.BoolNode)
			if !ok {
				d.errorf(line, "send_card must be true or false")
				continue
			}
			a.SendCard = &b.Value
			continue
		}
		if e.key != "card" {
			continue
		}
		card, ok := d.mapping(e.value)
		d.checkKeys(card, []string{"fail"}, "unknown option %q of card (known: fail)")
		for _, c := range card {
			if c.key == "fail" {
				a.CardFail, _ = d.scalar(c.value)
			}
		}
		if !ok || a.CardFail == "" {
			d.errorf(line, "card must be {fail: REASON}")
		}
	}
	return a
}

func (d *decoder) vault(kind entry, inner []entry) *Vault {
	line := lineOf(kind.value, kind.line)
	if s, ok := d.scalar(kind.value); ok && s == "succeeded" {
		return &Vault{}
	}
	v := &Vault{Failed: true}
	for _, e := range inner {
		if e.key == "failed" {
			v.Reason, _ = d.scalar(e.value)
		}
	}
	if v.Reason == "" {
		d.errorf(line, "vault must be succeeded or {failed: REASON}")
	}
	return v
}

func (d *decoder) merchantStatus(line int, inner []entry) *MerchantStatus {
	m := &MerchantStatus{Type: "card_switcher", Platform: "web"}
	for _, e := range inner {
		s, _ := d.scalar(e.value)
		eline := lineOf(e.value, e.line)
		switch e.key {
		case "status":
			if s != "UP" && s != "DOWN" {
				d.errorf(eline, "status must be UP or DOWN")
			}
			m.Status = s
		case "type":
			if !contains(merchantTypes, s) {
				d.errorf(eline, "type must be one of %s", list(merchantTypes))
			}
			m.Type = s
		case "platform":
			if !contains(platforms, s) {
				d.errorf(eline, "platform must be one of %s", list(platforms))
			}
			m.Platform = s
		}
	}
	if !hasKey(inner, "status") {
		d.errorf(line, "merchant_status needs status (UP or DOWN)")
	}
	return m
}

func (d *decoder) fault(line int, inner []entry) *Fault {
	f := &Fault{Times: 1}
	outcomes := 0
	for _, e := range inner {
		eline := lineOf(e.value, e.line)
		switch e.key {
		case "operation":
			f.Operation, _ = d.scalar(e.value)
			switch {
			case f.Operation == "":
				d.errorf(eline, "operation must be an operationId")
			case d.opts.Operations != nil && !contains(d.opts.Operations, f.Operation):
				d.errorf(eline, "unknown operation %q (known: %s)", f.Operation, list(d.opts.Operations))
			}
		case "status":
			outcomes++
			if f.Status, _ = d.integer(e.value); f.Status < 100 || f.Status > 599 {
				d.errorf(eline, "status must be an HTTP status code (100-599)")
			}
		case "example":
			outcomes++
			if f.Example, _ = d.scalar(e.value); f.Example == "" {
				d.errorf(eline, "example must be the name of an example of the operation")
			}
		case "delay":
			outcomes++
			f.Delay, _ = d.duration(e.value, e.line, "delay")
		case "times":
			if n, ok := d.count(e.value, e.line, "times"); ok && n == 0 {
				d.errorf(eline, "times must be positive")
			} else {
				f.Times = max(n, 1)
			}
		}
	}
	if !hasKey(inner, "operation") {
		d.errorf(line, "fault needs operation")
	}
	if outcomes != 1 {
		d.errorf(line, "fault needs exactly one of status, example, delay")
	}
	return f
}

func (d *decoder) end(kind entry, inner []entry) *End {
	line := lineOf(kind.value, kind.line)
	if s, ok := d.scalar(kind.value); ok {
		switch s {
		case EndSuccess, EndClose:
			return &End{Kind: s}
		case EndError:
			d.errorf(line, "end error needs a message: end: {error: MESSAGE}")
		default:
			d.errorf(line, "end must be success, close or {error: MESSAGE}")
		}
		return &End{Kind: s}
	}
	e := &End{Kind: EndError}
	for _, o := range inner {
		if o.key == "error" {
			e.Message, _ = d.scalar(o.value)
		}
	}
	if _, isMap := d.resolve(kind.value).(*ast.MappingNode); !isMap {
		d.errorf(line, "end must be success, close or {error: MESSAGE}")
	} else if e.Message == "" {
		d.errorf(line, "end error needs a message: end: {error: MESSAGE}")
	}
	return e
}

func hasKey(entries []entry, key string) bool {
	for _, e := range entries {
		if e.key == key {
			return true
		}
	}
	return false
}
