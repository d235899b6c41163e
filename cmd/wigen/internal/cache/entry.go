// An entry: what one render produced, in a small text format with a
// checksum.

package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/disk"
)

// Entry is what one render produced.
type Entry struct {
	// Root is the output root as the render joined it (the input's
	// folder, as -f names it, and spec.output); Shown is how messages
	// show it.
	Root, Shown string
	// Stderr is what the render printed before comparing with the tree
	// (the input's warnings, the notes on skipped outputs): a hit prints
	// it again.
	Stderr []byte
	// Files are the rendered files, in render order.
	Files []disk.FileSum
}

// The format, line by line:
//
//	wigen render cache v1
//	key HEX
//	root LEN
//	BYTES
//	shown LEN
//	BYTES
//	stderr LEN
//	BYTES
//	files COUNT
//	SHA256HEX SIZE PATH      (COUNT lines)
//	sum SHA256HEX            (of everything above)
const magic = "wigen render cache v1\n"

// encode returns e in the entry format, under key k. It refuses a path
// with a newline (wigen renders none).
func (e *Entry) encode(k Key) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(128 + len(e.Stderr) + len(e.Files)*112)
	b.WriteString(magic)
	fmt.Fprintf(&b, "key %s\n", k)
	for _, f := range []struct {
		name string
		data []byte
	}{{"root", []byte(e.Root)}, {"shown", []byte(e.Shown)}, {"stderr", e.Stderr}} {
		fmt.Fprintf(&b, "%s %d\n", f.name, len(f.data))
		b.Write(f.data)
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "files %d\n", len(e.Files))
	var hexSum [2 * sha256.Size]byte
	for _, f := range e.Files {
		if strings.ContainsAny(f.Path, "\n") || f.Path == "" {
			return nil, fmt.Errorf("cannot remember the path %q", f.Path)
		}
		hex.Encode(hexSum[:], f.SHA256[:])
		b.Write(hexSum[:])
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(f.Size, 10))
		b.WriteByte(' ')
		b.WriteString(f.Path)
		b.WriteByte('\n')
	}
	sum := sha256.Sum256(b.Bytes())
	fmt.Fprintf(&b, "sum %x\n", sum)
	return b.Bytes(), nil
}

var errCorrupt = errors.New("corrupt")

// decodeEntry reads an entry, checking its format, checksum and key.
func decodeEntry(data []byte, k Key) (*Entry, error) {
	body, last, ok := cutLastLine(data)
	if !ok {
		return nil, errCorrupt
	}
	sumHex, ok := bytes.CutPrefix(last, []byte("sum "))
	if !ok {
		return nil, errCorrupt
	}
	if sum := sha256.Sum256(body); string(sumHex) != hex.EncodeToString(sum[:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errCorrupt)
	}
	r := reader{data: body}
	if string(r.take(len(magic))) != magic {
		return nil, fmt.Errorf("%w: not an entry of this format", errCorrupt)
	}
	if key := r.field("key"); key != k.String() {
		return nil, fmt.Errorf("%w: the entry of another key", errCorrupt)
	}
	e := &Entry{Root: string(r.blob("root")), Shown: string(r.blob("shown")), Stderr: r.blob("stderr")}
	n := r.number("files")
	if r.err == nil && n > len(r.data)/(2*sha256.Size) {
		r.err = errCorrupt
	}
	if r.err != nil {
		return nil, r.err
	}
	e.Files = make([]disk.FileSum, n)
	for i := range e.Files {
		line := r.line()
		hexSum, rest, ok1 := bytes.Cut(line, []byte(" "))
		size, path, ok2 := bytes.Cut(rest, []byte(" "))
		f := &e.Files[i]
		var err error
		f.Size, err = strconv.ParseInt(string(size), 10, 64)
		if !ok1 || !ok2 || err != nil || f.Size < 0 || len(path) == 0 || len(hexSum) != 2*sha256.Size {
			return nil, errCorrupt
		}
		if _, err := hex.Decode(f.SHA256[:], hexSum); err != nil {
			return nil, errCorrupt
		}
		f.Path = string(path)
	}
	if r.err != nil || len(r.data) != 0 {
		return nil, errCorrupt
	}
	return e, nil
}

// cutLastLine splits data into everything before its last line and that
// line (without its newline).
func cutLastLine(data []byte) (before, last []byte, ok bool) {
	if !bytes.HasSuffix(data, []byte("\n")) {
		return nil, nil, false
	}
	i := bytes.LastIndexByte(data[:len(data)-1], '\n')
	if i < 0 {
		return nil, nil, false
	}
	return data[:i+1], data[i+1 : len(data)-1], true
}

// reader reads the fields of an entry; the first failure sticks in err.
type reader struct {
	data []byte
	err  error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n > len(r.data) {
		r.err = errCorrupt
		return nil
	}
	out := r.data[:n]
	r.data = r.data[n:]
	return out
}

func (r *reader) line() []byte {
	if r.err != nil {
		return nil
	}
	line, rest, ok := bytes.Cut(r.data, []byte("\n"))
	if !ok {
		r.err = errCorrupt
		return nil
	}
	r.data = rest
	return line
}

// field reads the line "NAME VALUE" and returns VALUE.
func (r *reader) field(name string) string {
	v, ok := bytes.CutPrefix(r.line(), []byte(name+" "))
	if !ok {
		r.err = errCorrupt
	}
	return string(v)
}

func (r *reader) number(name string) int {
	n, err := strconv.Atoi(r.field(name))
	if r.err == nil && (err != nil || n < 0) {
		r.err = errCorrupt
	}
	return n
}

// blob reads "NAME LEN", then LEN bytes and a newline.
func (r *reader) blob(name string) []byte {
	n := r.number(name)
	data := r.take(n)
	if nl := r.take(1); r.err == nil && nl[0] != '\n' {
		r.err = errCorrupt
	}
	return data
}
