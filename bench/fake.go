package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// fake is one running fakeauthress process.
type fake struct {
	name      string
	cmd       *exec.Cmd
	apiURL    string
	accessKey string
	port      int
	admin     *http.Client
	// statsOverhead is how many connections reading the stats itself opens:
	// the admin client does not keep connections alive, so each admin call
	// opens exactly one, counted by the fake before it answers.
	statsOverhead int
}

// fakeStats is GET /_fake/stats.
type fakeStats struct {
	Requests       map[string]int `json:"requests"`
	Writes         int            `json:"writes"`
	FaultsInjected map[string]int `json:"faultsInjected"`
	ConnsOpened    int            `json:"connsOpened"`
	Unauthorized   int            `json:"unauthorized"`
}

// Route keys of the fake's counters.
const (
	routeCreate = "POST /v1/connections"
	routeList   = "GET /v1/connections"
	routeGet    = "GET /v1/connections/{id}"
	routeUpdate = "PUT /v1/connections/{id}"
	routeDelete = "DELETE /v1/connections/{id}"
)

// routeShort names routes in the tables.
var routeShort = map[string]string{
	routeCreate: "POST",
	routeList:   "LIST",
	routeGet:    "GET",
	routeUpdate: "PUT",
	routeDelete: "DELETE",
}

var routeOrder = []string{routeCreate, routeGet, routeUpdate, routeDelete, routeList}

// startFake starts the fake with extra flags and waits for its address.
func startFake(ctx context.Context, binary, dir, name string, args ...string) (*fake, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	envFile := filepath.Join(dir, name+".env")
	_ = os.Remove(envFile)
	logFile, err := os.Create(filepath.Join(dir, name+".log")) //nolint:gosec // a path under .bench/
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	// The fake lives until stop: not tied to ctx, which only bounds the start.
	cmd := exec.Command(binary, append([]string{"-addr", "127.0.0.1:0", "-env-file", envFile}, args...)...) //nolint:gosec,noctx // our own build
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the %s fake: %w", name, err)
	}
	f := &fake{name: name, cmd: cmd, admin: &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{DisableKeepAlives: true},
	}}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()

	deadline := time.Now().Add(15 * time.Second)
	for {
		if data, err := os.ReadFile(envFile); err == nil && len(data) > 0 { //nolint:gosec // a path under .bench/
			for _, line := range strings.Split(string(data), "\n") {
				if v, ok := strings.CutPrefix(line, "AUTHRESS_API_URL="); ok {
					f.apiURL = v
				}
				if v, ok := strings.CutPrefix(line, "AUTHRESS_KEY="); ok {
					f.accessKey = v
				}
			}
			if f.apiURL != "" && f.accessKey != "" {
				break
			}
		}
		select {
		case <-exited:
			return nil, fmt.Errorf("the %s fake exited at start; see %s", name, relPath(filepath.Join(dir, name+".log")))
		case <-ctx.Done():
			f.stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			f.stop()
			return nil, fmt.Errorf("the %s fake did not announce its address within 15s", name)
		}
	}
	u, err := url.Parse(f.apiURL)
	if err != nil {
		f.stop()
		return nil, err
	}
	if f.port, err = strconv.Atoi(u.Port()); err != nil {
		f.stop()
		return nil, fmt.Errorf("the %s fake's URL %q has no port", name, f.apiURL)
	}

	// Measure what the stats read itself adds to connsOpened.
	if err := f.resetStats(ctx); err != nil {
		f.stop()
		return nil, err
	}
	s, err := f.stats(ctx)
	if err != nil {
		f.stop()
		return nil, err
	}
	f.statsOverhead = s.ConnsOpened
	return f, nil
}

// stop ends the fake: SIGTERM, then SIGKILL after 5 seconds.
func (f *fake) stop() {
	if f == nil || f.cmd.Process == nil {
		return
	}
	_ = f.cmd.Process.Signal(syscall.SIGTERM)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if err := f.cmd.Process.Signal(syscall.Signal(0)); err != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = f.cmd.Process.Kill()
}

func (f *fake) adminDo(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, f.apiURL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.admin.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s on the %s fake: %w", method, path, f.name, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s on the %s fake: HTTP %d: %s", method, path, f.name, resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

func (f *fake) resetStats(ctx context.Context) error {
	return f.adminDo(ctx, http.MethodPost, "/_fake/stats/reset", nil, nil)
}

// stats reads the counters, without the connection the read itself opened.
func (f *fake) stats(ctx context.Context) (fakeStats, error) {
	var s fakeStats
	err := f.adminDo(ctx, http.MethodGet, "/_fake/stats", nil, &s)
	s.ConnsOpened -= f.statsOverhead
	return s, err
}

// cpuSeconds is the fake's user plus system CPU time so far.
func (f *fake) cpuSeconds() float64 {
	return procCPUSeconds(f.cmd.Process.Pid)
}

// procCPUSeconds reads utime+stime from /proc/PID/stat (USER_HZ is 100 on Linux).
func procCPUSeconds(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces: the fields follow its closing ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100
}

// seed creates n connections out of band with POST /_fake/connections, with
// a few workers on kept-alive connections. It is bounded by n and by ctx.
func (f *fake) seed(ctx context.Context, n int) error {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer client.CloseIdleConnections()
	const workers = 4
	next := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				body := fmt.Sprintf(`{"connectionId":"bench-%05d","authenticationUrl":"https://idp%d.example.com/oauth2/authorize",`+
					`"tokenUrl":"https://idp%d.example.com/oauth2/token","issuerUrl":"https://idp%d.example.com",`+
					`"clientId":"bench-client-%d","data":{"name":"Benchmark connection %d"},"tags":{"team":"bench"}}`, i, i, i, i, i, i)
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.apiURL+"/_fake/connections", strings.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("seeding connection %d: HTTP %d", i, resp.StatusCode)
					return
				}
			}
		}()
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return err
}

// readLines reads a small text file into lines.
func readLines(path string) ([]string, error) {
	f, err := os.Open(path) //nolint:gosec // our own output
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	defer f.Close()
	var lines []string
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 64<<10), 1<<20)
	for scanner.Scan() {
		lines = append(lines, scanner.Text())
	}
	return lines, scanner.Err()
}
