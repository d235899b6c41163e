//go:build unix

package disk

import (
	"errors"
	"syscall"
)

// readFull reads the start of the regular file name into buf, up to
// len(buf) bytes, and returns how many it read. It opens the file
// without following a symbolic link (one swapped in since the walk saw a
// file is an error), and with plain system calls: os.Open registers
// every file with the network poller, which refuses regular files, at
// five more system calls per file (two fcntl each way and epoll_ctl),
// about a third of what verifying a tree costs. size is the size the
// caller expects (from Lstat, or a recorded sum; -1 for none): a read
// that returns fewer bytes than asked and brings the count to size ends
// it, since a regular file read short is at its end; asking once more to
// be told so was one in seven of the file system calls of a check.
func readFull(name string, buf []byte, size int64) (int, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW, 0)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		return 0, err
	}
	defer syscall.Close(fd)
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		switch {
		case errors.Is(err, syscall.EINTR):
			continue
		case err != nil:
			return n, err
		case m == 0:
			return n, nil
		}
		n += m
		if int64(n) == size && n < len(buf) {
			return n, nil
		}
	}
	return n, nil
}
