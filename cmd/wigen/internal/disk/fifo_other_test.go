//go:build !unix

package disk

import "errors"

func mkfifo(string) error { return errors.New("no FIFO on this system") }
