package card

import "testing"

func BenchmarkDecryptAndValidate(b *testing.B) {
	k := defaultKeys(b)
	jwe, err := Encrypt(mustJWK(b, k), []byte(testPlaintext))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		pt, err := k.Decrypt(jwe)
		if err != nil {
			b.Fatal(err)
		}
		p, err := ParsePayload(pt)
		if err != nil {
			b.Fatal(err)
		}
		if r := Validate(p, testNow); r != nil {
			b.Fatal(r.Err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	p := valid()
	b.ReportAllocs()
	for b.Loop() {
		if r := Validate(p, testNow); r != nil {
			b.Fatal(r.Err)
		}
	}
}

func BenchmarkSeededKeyGeneration(b *testing.B) {
	b.ReportAllocs()
	seed := int64(1000)
	for b.Loop() {
		seed++
		if _, err := seededKey(seed); err != nil {
			b.Fatal(err)
		}
	}
}
