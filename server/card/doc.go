// Package card implements the sandbox side of Knot's Switch Card: the RSA
// key behind GET /jwe/key (Keys), decryption of the compact JWE sent to
// POST /card (Keys.Decrypt), and the user and card rules both Switch Card
// variants apply to their payload (Validate).
//
// # Keys
//
// The key is RSA-2048, published as a JWK with alg RSA-OAEP-256. A JWE is
// accepted only in compact serialization, with alg RSA-OAEP-256, enc A256GCM
// and a protected header carrying our kid. NewKeys picks the key from a PEM
// file, the embedded default (fixtures/jwe_key.pem, seed DefaultSeed) or,
// for any other seed, derives it deterministically from the seed on first
// use (about 100 ms, never at start-up).
//
// # Validation order
//
// Knot reports one error; Validate checks, and reports the first failure, in
// this order:
//
//  1. user: present, an object
//  2. user.name: present, an object; then first_name, last_name: present,
//     strings, at most 255 characters
//  3. user.phone_number: present (UserFieldRequired), a string, E.164
//  4. user.address: present, an object; then street (present, ≤46),
//     street2 (optional, ≤46), city (present, ≤32), region (present, an
//     ISO 3166-2 subdivision code without the country prefix: 1–3 uppercase
//     letters or digits), postal_code (present, 5–10 characters), country
//     (present, an assigned ISO 3166-1 alpha-2 code)
//  5. card: present, an object
//  6. card.number: present, a string, digits only (CardNumberNotNumeric),
//     length for the brand of its IIN (CardNumberTooShort/TooLong), Luhn
//     (CardNumberInvalid)
//  7. card.expiration: present, a string, MM/YYYY or MM/YY
//     (CardExpirationInvalid), not past the last day of that month
//     (CardExpired)
//  8. card.cvv: present (CVVRequired), a string, digits only
//     (CVVNotNumeric), 4 digits for American Express and 3 otherwise
//     (CVVTooShort/CVVTooLong)
//
// A string that is empty or only white space counts as missing (Laravel's
// "required"); null counts as missing. Lengths count characters, not bytes.
//
// Nothing in this package puts card data, user data or JWE contents into an
// error string; use Last4 to refer to a card in logs.
package card
