package card

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Payload is the card data of Switch Card: the plaintext of the JWE variant,
// or the user and card members of the plain variant's body (a handler may
// embed Payload in its body struct). Decoding into it never fails on a JSON
// object: a member of the wrong type is recorded, for Validate to report.
type Payload struct {
	User *User     `json:"user"`
	Card *CardData `json:"card"`
}

// User is Payload.user.
type User struct {
	Name        *Name    `json:"name"`
	Address     *Address `json:"address"`
	PhoneNumber Text     `json:"phone_number"`
	// NotObject is set when user was sent but is not a JSON object.
	NotObject bool `json:"-"`
}

// Name is Payload.user.name.
type Name struct {
	FirstName Text `json:"first_name"`
	LastName  Text `json:"last_name"`
	NotObject bool `json:"-"`
}

// Address is Payload.user.address.
type Address struct {
	Street     Text `json:"street"`
	Street2    Text `json:"street2"`
	City       Text `json:"city"`
	Region     Text `json:"region"`
	PostalCode Text `json:"postal_code"`
	Country    Text `json:"country"`
	NotObject  bool `json:"-"`
}

// CardData is Payload.card.
type CardData struct {
	Number     Text `json:"number"`
	Expiration Text `json:"expiration"`
	CVV        Text `json:"cvv"`
	NotObject  bool `json:"-"`
}

// Text is a string member that remembers whether it was sent (Set: present
// and not null) and whether it was a JSON string (NotString).
type Text struct {
	Value     string
	Set       bool
	NotString bool
}

// S is a Text holding the string s, for building payloads in code.
func S(s string) Text { return Text{Value: s, Set: true} }

// UnmarshalJSON records the member; it never fails.
func (t *Text) UnmarshalJSON(b []byte) error {
	*t = Text{}
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
	case b[0] == '"':
		t.Set = true
		if json.Unmarshal(b, &t.Value) != nil {
			t.NotString = true
		}
	default:
		t.Set, t.NotString = true, true
	}
	return nil
}

// MarshalJSON writes the string, or null when unset. (A member that was not
// a string is written as null: its value is not kept.)
func (t Text) MarshalJSON() ([]byte, error) {
	if !t.Set || t.NotString {
		return []byte("null"), nil
	}
	return json.Marshal(t.Value)
}

// decodeObject decodes b into v when b is a JSON object and otherwise sets
// *notObject.
func decodeObject(b []byte, v any, notObject *bool) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		*notObject = true
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		// Only a malformed document gets here; do not echo it.
		return errors.New("card: malformed JSON object")
	}
	return nil
}

// UnmarshalJSON decodes user, recording a value that is not an object.
func (u *User) UnmarshalJSON(b []byte) error {
	type plain User
	return decodeObject(b, (*plain)(u), &u.NotObject)
}

// UnmarshalJSON decodes user.name, recording a value that is not an object.
func (n *Name) UnmarshalJSON(b []byte) error {
	type plain Name
	return decodeObject(b, (*plain)(n), &n.NotObject)
}

// UnmarshalJSON decodes user.address, recording a value that is not an object.
func (a *Address) UnmarshalJSON(b []byte) error {
	type plain Address
	return decodeObject(b, (*plain)(a), &a.NotObject)
}

// UnmarshalJSON decodes card, recording a value that is not an object.
func (c *CardData) UnmarshalJSON(b []byte) error {
	type plain CardData
	return decodeObject(b, (*plain)(c), &c.NotObject)
}

// ErrPayloadNotObject is returned by ParsePayload for a plaintext that is
// not a JSON object (the JWE variant answers JWEInvalid).
var ErrPayloadNotObject = errors.New("card: JWE plaintext is not a JSON object")

// ParsePayload decodes a decrypted JWE plaintext. It fails only when the
// plaintext is not a JSON object; the error never quotes the plaintext.
func ParsePayload(plaintext []byte) (Payload, error) {
	var p Payload
	b := bytes.TrimSpace(plaintext)
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return Payload{}, ErrPayloadNotObject
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return Payload{}, ErrPayloadNotObject
	}
	return p, nil
}
