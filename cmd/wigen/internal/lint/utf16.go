// UTF-16 input: decoded to UTF-8 before it is split into documents.

package lint

import (
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// fromUTF16 returns data decoded to UTF-8 when it starts with a UTF-16
// byte order mark (FF FE: little-endian, FE FF: big-endian; the mark is
// dropped), and data itself otherwise. The YAML 1.2 spec (5.2 Character
// Encodings) and go.yaml.in/yaml/v3, which reads wigen.yaml, recognize
// UTF-16 by its byte order mark the same way. An odd number of bytes is
// an error; an unpaired surrogate becomes U+FFFD.
func fromUTF16(data []byte) ([]byte, error) {
	var big bool
	switch {
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE:
	case len(data) >= 2 && data[0] == 0xFE && data[1] == 0xFF:
		big = true
	default:
		return data, nil
	}
	body := data[2:]
	if len(body)%2 != 0 {
		return nil, errors.New("the input starts with a UTF-16 byte order mark but holds an odd number of bytes, so it is not UTF-16 text; save it as UTF-8")
	}
	units := make([]uint16, len(body)/2)
	for i := range units {
		if big {
			units[i] = uint16(body[2*i])<<8 | uint16(body[2*i+1])
		} else {
			units[i] = uint16(body[2*i+1])<<8 | uint16(body[2*i])
		}
	}
	out := make([]byte, 0, len(units))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}
