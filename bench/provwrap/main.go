// Command provwrap measures one provider process for the benchmark. The
// benchmark installs it with dev_overrides under the provider's file name, next
// to the real binary renamed with a ".real" suffix. Terraform starts the
// wrapper; the wrapper starts the real provider with the same arguments,
// environment, standard input and output (so the plugin handshake goes
// straight to Terraform), waits for it, and appends one JSON line to the file
// named by BENCH_PROVIDER_LOG:
//
//   - the provider's peak RSS and CPU time, from the kernel's rusage;
//   - its wall time;
//   - how many TCP connections it held to the port in BENCH_API_PORT, found by
//     polling /proc every 10 ms (a connection shorter than that can be missed;
//     the fake's own count is exact);
//   - from its standard error, which the wrapper passes on unchanged: how many
//     log lines contain BENCH_STDERR_COUNT, and the tf_req_duration_ms of each
//     "Received downstream response" line of the RPC named by BENCH_RPC.
//
// A "start" line is appended first, so the benchmark can wait for every
// wrapper it started to finish writing.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Record is one line of BENCH_PROVIDER_LOG.
type Record struct {
	Event          string    `json:"event"` // "start" or "exit"
	PID            int       `json:"pid"`
	WallSeconds    float64   `json:"wallSeconds,omitempty"`
	UserSeconds    float64   `json:"userSeconds,omitempty"`
	SysSeconds     float64   `json:"sysSeconds,omitempty"`
	MaxRSSKiB      int64     `json:"maxRssKiB,omitempty"`
	APIConns       int       `json:"apiConns"`
	StderrMatches  int       `json:"stderrMatches"`
	RPCDurationsMs []float64 `json:"rpcDurationsMs,omitempty"`
	ExitCode       int       `json:"exitCode"`
}

const (
	pollInterval = 10 * time.Millisecond
	// maxLine bounds the part of a stderr line kept for matching; longer
	// lines are still passed on whole.
	maxLine = 64 << 10
)

func main() {
	os.Exit(run())
}

func run() int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "provwrap:", err)
		return 1
	}
	logPath := os.Getenv("BENCH_PROVIDER_LOG")
	// Terraform decides when the provider ends; the wrapper only follows.
	cmd := exec.Command(self+".real", os.Args[1:]...) //nolint:gosec,noctx // the binary installed next to the wrapper
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout

	scanner := newStderrScanner(os.Getenv("BENCH_STDERR_COUNT"), os.Getenv("BENCH_RPC"))
	stderrRead, stderrWrite, err := os.Pipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "provwrap:", err)
		return 1
	}
	cmd.Stderr = stderrWrite

	// Pdeathsig (the provider must not outlive a killed wrapper) follows the
	// thread that starts the child: keep this goroutine on that thread.
	runtime.LockOSThread()
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "provwrap: starting the provider: %v\n", err)
		return 1
	}
	_ = stderrWrite.Close()
	pid := cmd.Process.Pid
	if logPath != "" {
		_ = appendRecord(logPath, Record{Event: "start", PID: pid})
	}

	copied := make(chan struct{})
	go func() {
		defer close(copied)
		scanner.copy(os.Stderr, stderrRead)
	}()

	// Pass on the signals Terraform sends; the provider decides what to do.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()

	port, _ := strconv.Atoi(os.Getenv("BENCH_API_PORT"))
	stop := make(chan struct{})
	counted := make(chan int, 1)
	go func() {
		c := connCounter{pid: pid, port: port, classified: map[string]bool{}, seen: map[string]bool{}}
		ticker := time.NewTicker(pollInterval)
		defer ticker.Stop()
		for {
			if port > 0 {
				c.poll()
			}
			select {
			case <-stop:
				counted <- len(c.seen)
				return
			case <-ticker.C:
			}
		}
	}()

	waitErr := cmd.Wait()
	wall := time.Since(start)
	close(stop)
	conns := <-counted
	<-copied // the provider has exited: its stderr ends

	rec := Record{Event: "exit", PID: pid, WallSeconds: wall.Seconds(), APIConns: conns,
		StderrMatches: scanner.matches, RPCDurationsMs: scanner.durations, ExitCode: cmd.ProcessState.ExitCode()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rec.UserSeconds = time.Duration(ru.Utime.Nano()).Seconds()
		rec.SysSeconds = time.Duration(ru.Stime.Nano()).Seconds()
		rec.MaxRSSKiB = ru.Maxrss // KiB on Linux
	}
	if logPath != "" {
		if err := appendRecord(logPath, rec); err != nil {
			fmt.Fprintln(os.Stderr, "provwrap:", err)
		}
	}
	var exitErr *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exitErr) {
		fmt.Fprintln(os.Stderr, "provwrap:", waitErr)
		return 1
	}
	return max(rec.ExitCode, 0)
}

func appendRecord(path string, rec Record) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600) //nolint:gosec // the benchmark's log
	if err != nil {
		return err
	}
	// One write of one line: O_APPEND keeps concurrent writers' lines whole.
	_, err = f.Write(append(line, '\n'))
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

// stderrScanner passes the provider's standard error on unchanged and looks
// at each line on the way.
type stderrScanner struct {
	pattern   []byte
	rpc       []byte
	matches   int
	durations []float64
	line      []byte
	overflow  bool
}

func newStderrScanner(pattern, rpc string) *stderrScanner {
	s := &stderrScanner{pattern: []byte(pattern)}
	if rpc != "" {
		s.rpc = []byte(`"tf_rpc":"` + rpc + `"`)
	}
	return s
}

func (s *stderrScanner) copy(dst io.Writer, src io.Reader) {
	buf := make([]byte, 64<<10)
	dstFailed := false
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !dstFailed {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					dstFailed = true // keep draining so the provider never blocks
				}
			}
			s.scan(buf[:n])
		}
		if err != nil {
			s.endLine()
			return
		}
	}
}

func (s *stderrScanner) scan(chunk []byte) {
	for len(chunk) > 0 {
		i := bytes.IndexByte(chunk, '\n')
		part := chunk
		if i >= 0 {
			part = chunk[:i]
		}
		if len(s.line)+len(part) <= maxLine {
			s.line = append(s.line, part...)
		} else {
			s.overflow = true
		}
		if i < 0 {
			return
		}
		s.endLine()
		chunk = chunk[i+1:]
	}
}

var downstreamResponse = []byte("Received downstream response")

func (s *stderrScanner) endLine() {
	line := s.line
	s.line, s.overflow = s.line[:0], false
	if len(line) == 0 {
		return
	}
	if len(s.pattern) > 0 && bytes.Contains(line, s.pattern) {
		s.matches++
	}
	if len(s.rpc) > 0 && bytes.Contains(line, downstreamResponse) && bytes.Contains(line, s.rpc) {
		var entry struct {
			DurationMs float64 `json:"tf_req_duration_ms"`
		}
		if json.Unmarshal(line, &entry) == nil {
			s.durations = append(s.durations, entry.DurationMs)
		}
	}
}

// connCounter finds the TCP connections a process holds to one remote port:
// socket inodes from /proc/PID/fd, matched against the namespace's socket
// tables.
type connCounter struct {
	pid        int
	port       int
	classified map[string]bool // socket inodes already looked up
	seen       map[string]bool // inodes of connections to port
}

func (c *connCounter) poll() {
	fdDir := fmt.Sprintf("/proc/%d/fd", c.pid)
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		return // exiting
	}
	var fresh []string
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err != nil {
			continue // closed meanwhile
		}
		inode, ok := strings.CutPrefix(target, "socket:[")
		if !ok {
			continue
		}
		inode = strings.TrimSuffix(inode, "]")
		if !c.classified[inode] {
			fresh = append(fresh, inode)
		}
	}
	if len(fresh) == 0 {
		return
	}
	table := c.socketTable()
	for _, inode := range fresh {
		port, known := table[inode]
		if !known {
			continue // not listed yet: look again at the next poll
		}
		c.classified[inode] = true
		if port == c.port {
			c.seen[inode] = true
		}
	}
}

// socketTable maps the socket inodes of the process's network namespace to
// their remote TCP port (0 for Unix sockets, such as the plugin's own).
func (c *connCounter) socketTable() map[string]int {
	ports := map[string]int{}
	readTable(fmt.Sprintf("/proc/%d/net/unix", c.pid), func(fields []string) {
		if len(fields) >= 7 {
			ports[fields[6]] = 0
		}
	})
	for _, name := range []string{"tcp", "tcp6"} {
		readTable(fmt.Sprintf("/proc/%d/net/%s", c.pid, name), func(fields []string) {
			if len(fields) < 10 {
				return
			}
			_, portHex, ok := strings.Cut(fields[2], ":")
			if !ok {
				return
			}
			if port, err := strconv.ParseInt(portHex, 16, 32); err == nil {
				ports[fields[9]] = int(port)
			}
		})
	}
	return ports
}

func readTable(path string, row func(fields []string)) {
	f, err := os.Open(path) //nolint:gosec // a /proc path built from a pid
	if err != nil {
		return
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	scanner.Scan() // header
	for scanner.Scan() {
		row(strings.Fields(scanner.Text()))
	}
}
