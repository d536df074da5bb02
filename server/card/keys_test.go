package card

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/knotmock/knotmock/fixtures"
)

// testPlaintext is the payload documented in knot-api.md §2.7.1.
const testPlaintext = `{
  "user": {
    "name": {"first_name": "Ada", "last_name": "Lovelace"},
    "address": {"street": "100 Main Street", "street2": "#100", "city": "NEW YORK", "region": "NY", "postal_code": "12345", "country": "US"},
    "phone_number": "+11234567890"
  },
  "card": {"number": "4242424242424242", "expiration": "08/2030", "cvv": "012"}
}`

var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func defaultKeys(t testing.TB) *Keys {
	t.Helper()
	k, err := NewKeys(DefaultSeed, "")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustJWK(t testing.TB, k *Keys) []byte {
	t.Helper()
	jwk, err := k.PublicJWK()
	if err != nil {
		t.Fatal(err)
	}
	return jwk
}

func TestRoundTrip(t *testing.T) {
	k := defaultKeys(t)
	jwe, err := Encrypt(mustJWK(t, k), []byte(testPlaintext))
	if err != nil {
		t.Fatal(err)
	}
	pt, err := k.Decrypt(jwe)
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	if string(pt) != testPlaintext {
		t.Fatalf("plaintext changed in the round trip")
	}
	p, err := ParsePayload(pt)
	if err != nil {
		t.Fatal(err)
	}
	if r := Validate(p, testNow); r != nil {
		t.Fatalf("documented test payload fails: %s %v", r.Example, r.Err)
	}
}

func TestPublicJWKShape(t *testing.T) {
	k := defaultKeys(t)
	jwk := mustJWK(t, k)
	kid, err := k.KeyID()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(jwk, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"alg":"RSA-OAEP-256","e":"AQAB","key_ops":["encrypt"],"kid":"` + kid + `","kty":"RSA","n":"`, `","use":"enc"}`}
	if !strings.HasPrefix(string(jwk), want[0]) || !strings.HasSuffix(string(jwk), want[1]) || len(m) != 7 {
		t.Fatalf("JWK = %s", jwk)
	}
	n, err := base64.RawURLEncoding.DecodeString(m["n"].(string))
	if err != nil || len(n) != 256 {
		t.Fatalf("n: %d bytes, %v", len(n), err)
	}
	// kid is the RFC 7638 thumbprint.
	var pub jose.JSONWebKey
	if err := pub.UnmarshalJSON(jwk); err != nil {
		t.Fatal(err)
	}
	if tp, _ := pub.Thumbprint(crypto.SHA256); base64.RawURLEncoding.EncodeToString(tp) != kid {
		t.Fatalf("kid %s is not the thumbprint", kid)
	}
	// The cached body cannot be altered through the returned slice.
	jwk[0] = 'X'
	if again := mustJWK(t, k); again[0] != '{' {
		t.Fatal("PublicJWK returned its cache")
	}
}

// encryptWith builds a JWE with chosen algorithms and kid, as a misbehaving
// integrator could.
func encryptWith(t *testing.T, pub *rsa.PublicKey, kid string, alg jose.KeyAlgorithm, enc jose.ContentEncryption) *jose.JSONWebEncryption {
	t.Helper()
	e, err := jose.NewEncrypter(enc, jose.Recipient{Algorithm: alg, Key: pub, KeyID: kid}, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := e.Encrypt([]byte(testPlaintext))
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

func compact(t *testing.T, obj *jose.JSONWebEncryption) string {
	t.Helper()
	s, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDecryptRejects(t *testing.T) {
	k := defaultKeys(t)
	kid, _ := k.KeyID()
	st, _ := k.get()
	pub := &st.priv.PublicKey
	good, err := Encrypt(mustJWK(t, k), []byte(testPlaintext))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Decrypt(good); err != nil {
		t.Fatalf("control JWE rejected: %v", err)
	}
	other, err := seededKey(99)
	if err != nil {
		t.Fatal(err)
	}

	cases := map[string]string{
		"empty":         "",
		"garbage":       "not a jwe",
		"four parts":    good[:strings.LastIndex(good, ".")],
		"six parts":     good + ".AAAA",
		"bad base64":    strings.Replace(good, ".", ".*", 1),
		"JSON serial":   encryptWith(t, pub, kid, jose.RSA_OAEP_256, jose.A256GCM).FullSerialize(),
		"wrong kid":     compact(t, encryptWith(t, pub, "someone-else", jose.RSA_OAEP_256, jose.A256GCM)),
		"missing kid":   compact(t, encryptWith(t, pub, "", jose.RSA_OAEP_256, jose.A256GCM)),
		"alg RSA1_5":    compact(t, encryptWith(t, pub, kid, jose.RSA1_5, jose.A256GCM)),
		"alg RSA-OAEP":  compact(t, encryptWith(t, pub, kid, jose.RSA_OAEP, jose.A256GCM)),
		"enc A128GCM":   compact(t, encryptWith(t, pub, kid, jose.RSA_OAEP_256, jose.A128GCM)),
		"other key":     compact(t, encryptWith(t, &other.PublicKey, kid, jose.RSA_OAEP_256, jose.A256GCM)),
		"too long":      good + strings.Repeat("A", MaxJWELength),
		"surrounded ws": " " + good,
	}
	parts := strings.Split(good, ".")
	for i, name := range []string{"header", "encrypted key", "iv", "ciphertext", "tag"} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		raw[len(raw)/2] ^= 0x01
		tampered := append([]string(nil), parts...)
		tampered[i] = base64.RawURLEncoding.EncodeToString(raw)
		cases["tampered "+name] = strings.Join(tampered, ".")
	}
	for name, jwe := range cases {
		t.Run(name, func(t *testing.T) {
			pt, err := k.Decrypt(jwe)
			if err == nil {
				t.Fatalf("accepted; plaintext %d bytes", len(pt))
			}
			if !errors.Is(err, ErrInvalidJWE) {
				t.Errorf("error %v does not wrap ErrInvalidJWE", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "4242424242424242") || strings.Contains(msg, "Lovelace") ||
				(len(jwe) > 20 && strings.Contains(msg, jwe[:20])) {
				t.Errorf("error leaks payload or JWE: %s", msg)
			}
		})
	}
}

func TestKeySources(t *testing.T) {
	// The default seed is the embedded key.
	block, _ := pem.Decode(fixtures.JWEKeyPEM)
	embedded, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	def := defaultKeys(t)
	st, _ := def.get()
	if !st.priv.Equal(embedded) {
		t.Fatal("DefaultSeed does not use fixtures/jwe_key.pem")
	}

	// Seeded keys: lazy, deterministic, distinct.
	start := time.Now()
	a, _ := NewKeys(42, "")
	b, _ := NewKeys(42, "")
	c, _ := NewKeys(43, "")
	if d := time.Since(start); d > 50*time.Millisecond || a.state != nil {
		t.Fatalf("seeded NewKeys is not lazy (%v)", d)
	}
	ja, jb, jc := mustJWK(t, a), mustJWK(t, b), mustJWK(t, c)
	if string(ja) != string(jb) {
		t.Error("same seed, different JWKs")
	}
	if string(ja) == string(jc) || string(ja) == string(mustJWK(t, def)) {
		t.Error("different seeds, same JWK")
	}
	// A seeded key decrypts what is encrypted to it.
	jwe, err := Encrypt(ja, []byte(testPlaintext))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Decrypt(jwe); err != nil {
		t.Fatalf("seeded key: %v", err)
	}
	if _, err := c.Decrypt(jwe); err == nil {
		t.Fatal("seed 43 decrypted a JWE for seed 42")
	}

	// Key files: PKCS#1 and PKCS#8, 2048 bits only; the file wins over the seed.
	priv, _ := a.get()
	dir := t.TempDir()
	write := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(priv.priv)
	for _, path := range []string{
		write("pkcs1.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(priv.priv)),
		write("pkcs8.pem", "PRIVATE KEY", pkcs8),
	} {
		k, err := NewKeys(DefaultSeed, path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if string(mustJWK(t, k)) != string(ja) {
			t.Errorf("%s: not the key in the file", path)
		}
	}
	small, err := rsa.GenerateKey(fixedReader{}, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		write("small.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(small)),
		write("garbage.pem", "PRIVATE KEY", []byte("garbage")),
		write("cert.pem", "CERTIFICATE", []byte("x")),
		filepath.Join(dir, "missing.pem"),
	} {
		if _, err := NewKeys(DefaultSeed, path); err == nil {
			t.Errorf("%s: accepted", filepath.Base(path))
		}
	}
}

// fixedReader lets rsa.GenerateKey run in tests (Go ignores its bytes).
type fixedReader struct{}

func (fixedReader) Read(p []byte) (int, error) { return len(p), nil }

func TestSeededKeyConcurrentFirstUse(t *testing.T) {
	k, _ := NewKeys(7, "")
	var wg sync.WaitGroup
	out := make([]string, 8)
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jwk, err := k.PublicJWK()
			if err != nil {
				t.Error(err)
			}
			out[i] = string(jwk)
		}()
	}
	wg.Wait()
	for _, s := range out {
		if s != out[0] || s == "" {
			t.Fatal("concurrent first use saw different keys")
		}
	}
	st, _ := k.get()
	if st.priv.N.BitLen() != KeyBits || st.priv.E != 65537 || len(st.priv.Primes) != 2 ||
		new(big.Int).Mul(st.priv.Primes[0], st.priv.Primes[1]).Cmp(st.priv.N) != 0 {
		t.Fatal("derived key is malformed")
	}
}

func TestEncryptRejectsBadJWK(t *testing.T) {
	for _, jwk := range []string{`nope`, `{"kty":"oct","k":"AAAA"}`,
		strings.Replace(string(mustJWK(t, defaultKeys(t))), "RSA-OAEP-256", "RSA1_5", 1)} {
		if _, err := Encrypt([]byte(jwk), []byte("x")); err == nil {
			t.Errorf("Encrypt accepted %.30s", jwk)
		}
	}
}
