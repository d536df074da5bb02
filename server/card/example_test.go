package card_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/knotmock/knotmock/server/card"
)

func ExampleKeys_PublicJWK() {
	keys, err := card.NewKeys(card.DefaultSeed, "")
	if err != nil {
		panic(err)
	}
	body, err := keys.PublicJWK() // the body of GET /jwe/key
	if err != nil {
		panic(err)
	}
	var jwk map[string]any
	_ = json.Unmarshal(body, &jwk)
	fmt.Println(jwk["alg"], jwk["kty"], jwk["use"], jwk["key_ops"], jwk["e"])
	// Output: RSA-OAEP-256 RSA enc [encrypt] AQAB
}

// An integrator encrypts the card data to the published JWK; the sandbox
// decrypts and validates it.
func ExampleEncrypt() {
	keys, _ := card.NewKeys(card.DefaultSeed, "")
	jwk, _ := keys.PublicJWK()
	jwe, err := card.Encrypt(jwk, []byte(`{
	  "user": {"name": {"first_name": "Ada", "last_name": "Lovelace"},
	    "address": {"street": "100 Main Street", "city": "NEW YORK", "region": "NY",
	      "postal_code": "12345", "country": "US"},
	    "phone_number": "+11234567890"},
	  "card": {"number": "4242424242424242", "expiration": "08/2030", "cvv": "12"}}`))
	if err != nil {
		panic(err)
	}
	plaintext, err := keys.Decrypt(jwe)
	if err != nil {
		fmt.Println("JWEInvalid")
		return
	}
	payload, _ := card.ParsePayload(plaintext)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if rule := card.Validate(payload, now); rule != nil {
		fmt.Println(rule.Example, rule.Err.Message)
	}
	// Output: CVVTooShort The card.cvv is too short for card type.
}
