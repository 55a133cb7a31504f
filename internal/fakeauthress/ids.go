package fakeauthress

import (
	"crypto/rand"
	"math/big"
)

const alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomAlphanumeric returns n characters drawn uniformly from [a-zA-Z0-9]
// using the operating system's random source.
func randomAlphanumeric(n int) (string, error) {
	buf := make([]byte, n)
	max := big.NewInt(int64(len(alphanumeric)))
	for i := range buf {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", err
		}
		buf[i] = alphanumeric[v.Int64()]
	}
	return string(buf), nil
}

// newErrorID returns a support correlation id for an error body. It never
// fails: when the random source is unavailable a fixed marker is used, since
// an error answer must still be sent.
func newErrorID() string {
	id, err := randomAlphanumeric(16)
	if err != nil {
		return "err_unavailable"
	}
	return "err_" + id
}
