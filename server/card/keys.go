package card

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"sync"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/knotmock/knotmock/fixtures"
)

// DefaultSeed is the seed for which the sandbox uses its embedded key
// (fixtures/jwe_key.pem) instead of deriving one.
const DefaultSeed int64 = 1

// KeyBits is the size of the sandbox's RSA key, as Knot documents it.
const KeyBits = 2048

// MaxJWELength bounds the compact JWE Decrypt accepts (a Switch Card payload
// is well under 2 KiB).
const MaxJWELength = 64 << 10

// The algorithms Knot prescribes for Switch Card JWEs.
const (
	KeyAlgorithm      = "RSA-OAEP-256"
	ContentEncryption = "A256GCM"
)

// ErrInvalidJWE is wrapped by every error Decrypt returns. Callers answer
// any of them with the JWEInvalid example.
var ErrInvalidJWE = errors.New("card: invalid JWE")

// Keys holds the sandbox's JWE key. It is safe for concurrent use; a
// seed-derived key is generated on first use.
type Keys struct {
	once  sync.Once
	load  func() (*rsa.PrivateKey, error)
	state *keyState
	err   error
}

type keyState struct {
	priv *rsa.PrivateKey
	kid  string
	jwk  []byte
}

// NewKeys returns the sandbox's keys: the RSA-2048 private key in keyFile
// (PEM, PKCS#1 or PKCS#8) when keyFile is not empty; otherwise the embedded
// default key when seed is DefaultSeed; otherwise a key derived
// deterministically from seed, generated lazily on first use. A key file
// is read and checked here, so a bad file fails start-up.
func NewKeys(seed int64, keyFile string) (*Keys, error) {
	switch {
	case keyFile != "":
		data, err := os.ReadFile(keyFile)
		if err != nil {
			return nil, fmt.Errorf("card: reading JWE key: %w", err)
		}
		priv, err := parsePEM(data)
		if err != nil {
			return nil, fmt.Errorf("card: JWE key %s: %w", keyFile, err)
		}
		return &Keys{load: func() (*rsa.PrivateKey, error) { return priv, nil }}, nil
	case seed == DefaultSeed:
		priv, err := parsePEM(fixtures.JWEKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("card: embedded JWE key: %w", err)
		}
		return &Keys{load: func() (*rsa.PrivateKey, error) { return priv, nil }}, nil
	default:
		return &Keys{load: func() (*rsa.PrivateKey, error) { return seededKey(seed) }}, nil
	}
}

// parsePEM returns the first RSA private key (PKCS#1 or PKCS#8) in data,
// which must be RSA-2048.
func parsePEM(data []byte) (*rsa.PrivateKey, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, errors.New("no RSA PRIVATE KEY or PRIVATE KEY PEM block")
		}
		var priv *rsa.PrivateKey
		switch block.Type {
		case "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				return nil, err
			}
			priv = k
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, err
			}
			rk, ok := k.(*rsa.PrivateKey)
			if !ok {
				return nil, fmt.Errorf("key is %T, want an RSA key", k)
			}
			priv = rk
		default:
			continue
		}
		if n := priv.N.BitLen(); n != KeyBits {
			return nil, fmt.Errorf("RSA key has %d bits, want %d", n, KeyBits)
		}
		return priv, nil
	}
}

// seededKey derives an RSA-2048 key from seed: two 1024-bit primes drawn
// from a ChaCha8 stream keyed with SHA-256 of the seed. (rsa.GenerateKey
// cannot be made deterministic.) The stream and big.Int.ProbablyPrime are
// stable across Go releases, so a seed names the same key everywhere.
func seededKey(seed int64) (*rsa.PrivateKey, error) {
	material := binary.BigEndian.AppendUint64([]byte("knotmock/card/jwe-key/v1\x00"), uint64(seed))
	rng := rand.NewChaCha8(sha256.Sum256(material))
	e := big.NewInt(65537)
	one := big.NewInt(1)
	for {
		p, q := seededPrime(rng, e), seededPrime(rng, e)
		if p.Cmp(q) == 0 {
			continue
		}
		n := new(big.Int).Mul(p, q)
		if n.BitLen() != KeyBits {
			continue
		}
		p1 := new(big.Int).Sub(p, one)
		q1 := new(big.Int).Sub(q, one)
		gcd := new(big.Int).GCD(nil, nil, p1, q1)
		lambda := new(big.Int).Div(new(big.Int).Mul(p1, q1), gcd)
		d := new(big.Int).ModInverse(e, lambda)
		if d == nil {
			continue
		}
		priv := &rsa.PrivateKey{
			PublicKey: rsa.PublicKey{N: n, E: int(e.Int64())},
			D:         d,
			Primes:    []*big.Int{p, q},
		}
		priv.Precompute()
		if err := priv.Validate(); err != nil {
			return nil, fmt.Errorf("card: derived JWE key: %w", err)
		}
		return priv, nil
	}
}

func seededPrime(rng *rand.ChaCha8, e *big.Int) *big.Int {
	buf := make([]byte, KeyBits/16)
	p, p1, g := new(big.Int), new(big.Int), new(big.Int)
	one := big.NewInt(1)
	for {
		_, _ = rng.Read(buf)
		buf[0] |= 0xC0 // two top bits: the product has exactly 2048 bits
		buf[len(buf)-1] |= 1
		p.SetBytes(buf)
		if !p.ProbablyPrime(20) {
			continue
		}
		if g.GCD(nil, nil, p1.Sub(p, one), e).Cmp(one) != 0 {
			continue
		}
		return p
	}
}

// publicJWK is the body of GET /jwe/key, fields in Knot's (alphabetical)
// order.
type publicJWK struct {
	Alg    string   `json:"alg"`
	E      string   `json:"e"`
	KeyOps []string `json:"key_ops"`
	Kid    string   `json:"kid"`
	Kty    string   `json:"kty"`
	N      string   `json:"n"`
	Use    string   `json:"use"`
}

func (k *Keys) get() (*keyState, error) {
	k.once.Do(func() {
		priv, err := k.load()
		if err != nil {
			k.err = err
			return
		}
		tp, err := (&jose.JSONWebKey{Key: &priv.PublicKey}).Thumbprint(crypto.SHA256)
		if err != nil {
			k.err = fmt.Errorf("card: JWK thumbprint: %w", err)
			return
		}
		st := &keyState{priv: priv, kid: base64.RawURLEncoding.EncodeToString(tp)}
		st.jwk, err = json.Marshal(publicJWK{
			Alg:    KeyAlgorithm,
			E:      base64.RawURLEncoding.EncodeToString(big.NewInt(int64(priv.E)).Bytes()),
			KeyOps: []string{"encrypt"},
			Kid:    st.kid,
			Kty:    "RSA",
			N:      base64.RawURLEncoding.EncodeToString(priv.N.Bytes()),
			Use:    "enc",
		})
		if err != nil {
			k.err = err
			return
		}
		k.state = st
	})
	return k.state, k.err
}

// Warm generates the key now if it is derived from a seed (it is otherwise
// generated by the first PublicJWK, KeyID or Decrypt). Calling it is
// optional, e.g. from a goroutine after start-up.
func (k *Keys) Warm() error {
	_, err := k.get()
	return err
}

// KeyID is the key's kid: its RFC 7638 SHA-256 thumbprint, base64url.
func (k *Keys) KeyID() (string, error) {
	st, err := k.get()
	if err != nil {
		return "", err
	}
	return st.kid, nil
}

// PublicJWK is the JSON body of GET /jwe/key:
// {"alg":"RSA-OAEP-256","e":…,"key_ops":["encrypt"],"kid":…,"kty":"RSA","n":…,"use":"enc"}.
// The caller may keep or modify the returned slice.
func (k *Keys) PublicJWK() ([]byte, error) {
	st, err := k.get()
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), st.jwk...), nil
}

func invalid(reason string) error { return fmt.Errorf("%w: %s", ErrInvalidJWE, reason) }

// Decrypt decrypts a compact-serialized JWE sent to Switch Card and returns
// its plaintext. It accepts only alg RSA-OAEP-256 and enc A256GCM with our
// kid in the protected header; anything else, including the JSON
// serialization and any altered part, is an error wrapping ErrInvalidJWE.
// Errors never contain the JWE or its plaintext.
func (k *Keys) Decrypt(compact string) ([]byte, error) {
	st, err := k.get()
	if err != nil {
		return nil, err
	}
	if len(compact) > MaxJWELength {
		return nil, invalid("too long")
	}
	obj, err := jose.ParseEncryptedCompact(compact,
		[]jose.KeyAlgorithm{jose.RSA_OAEP_256}, []jose.ContentEncryption{jose.A256GCM})
	if err != nil {
		// go-jose's message may quote header values; keep it out.
		return nil, invalid("not a compact JWE with alg RSA-OAEP-256 and enc A256GCM")
	}
	// In the compact serialization every header is protected.
	switch {
	case obj.Header.Algorithm != KeyAlgorithm:
		return nil, invalid("protected header lacks alg")
	case obj.Header.KeyID == "":
		return nil, invalid("protected header lacks kid")
	case obj.Header.KeyID != st.kid:
		return nil, invalid("kid is not the sandbox's key")
	}
	plaintext, err := obj.Decrypt(st.priv)
	if err != nil {
		return nil, invalid("decryption failed")
	}
	return plaintext, nil
}

// Encrypt encrypts plaintext for the JWK jwk (the body of GET /jwe/key) the
// way an integrator does: RSA-OAEP-256 and A256GCM, the JWK's kid and alg in
// the protected header, compact serialization. The sandbox uses it in its
// own tests and examples.
func Encrypt(jwk []byte, plaintext []byte) (string, error) {
	var key jose.JSONWebKey
	if err := key.UnmarshalJSON(jwk); err != nil {
		return "", fmt.Errorf("card: parsing JWK: %w", err)
	}
	pub, ok := key.Key.(*rsa.PublicKey)
	if !ok {
		return "", fmt.Errorf("card: JWK holds %T, want an RSA public key", key.Key)
	}
	if key.Algorithm != "" && key.Algorithm != KeyAlgorithm {
		return "", fmt.Errorf("card: JWK alg is %q, want %s", key.Algorithm, KeyAlgorithm)
	}
	enc, err := jose.NewEncrypter(jose.A256GCM,
		jose.Recipient{Algorithm: jose.RSA_OAEP_256, Key: pub, KeyID: key.KeyID}, nil)
	if err != nil {
		return "", fmt.Errorf("card: %w", err)
	}
	obj, err := enc.Encrypt(plaintext)
	if err != nil {
		return "", fmt.Errorf("card: encrypting: %w", err)
	}
	return obj.CompactSerialize()
}
