package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRequireLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:0":    true,
		"127.0.0.2:8080": true,
		"[::1]:0":        true,
		"localhost:0":    true,
		"0.0.0.0:0":      false,
		":8080":          false,
		"10.0.0.1:80":    false,
		"example.com:80": false,
		"127.0.0.1":      false,
	} {
		if err := requireLoopback(addr); (err == nil) != ok {
			t.Errorf("requireLoopback(%q) = %v, want ok=%v", addr, err, ok)
		}
	}
}

func TestParseFlagsRejectsBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"-fault-kinds", "503,teapot"},
		{"-fault-rate", "1.5"},
		{"-addr", "0.0.0.0:0"},
		{"extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%v) succeeded", args)
		}
	}
	cfg, err := parseFlags([]string{"-fault-kinds", "503,drop-after", "-fault-rate", "0.3", "-seed", "9", "-latency", "5ms"}, io.Discard)
	if err != nil || len(cfg.faults.Kinds) != 2 || cfg.faults.Seed != 9 || cfg.faults.Latency != 5*time.Millisecond {
		t.Errorf("parseFlags = %+v, %v", cfg, err)
	}
}

func TestRunPrintsEnvironmentAndStopsOnSignal(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "authress.env")
	out, outWriter := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"-env-file", envFile, "-account", "acc_cmd"}, outWriter, io.Discard)
		_ = outWriter.Close()
	}()

	lines := bufio.NewScanner(out)
	var printed []string
	for len(printed) < 2 && lines.Scan() {
		printed = append(printed, lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, out) }() // drain anything further
	if len(printed) != 2 {
		t.Fatalf("printed %q", printed)
	}
	urlLine := regexp.MustCompile(`^AUTHRESS_API_URL=http://127\.0\.0\.1:\d+$`)
	keyLine := regexp.MustCompile(`^AUTHRESS_KEY=sc_[A-Za-z0-9]+\.[A-Za-z0-9]+\.acc_cmd\.[A-Za-z0-9+/=]+$`)
	if !urlLine.MatchString(printed[0]) || !keyLine.MatchString(printed[1]) {
		t.Fatalf("unexpected lines %q", printed)
	}
	info, err := os.Stat(envFile)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("env file mode %v, want 0600", info.Mode().Perm())
	}
	content, _ := os.ReadFile(filepath.Clean(envFile))
	if string(content) != printed[0]+"\n"+printed[1]+"\n" {
		t.Errorf("env file %q", content)
	}

	baseURL := strings.TrimPrefix(printed[0], "AUTHRESS_API_URL=")
	for path, want := range map[string]int{"/_fake/stats": http.StatusOK, "/v1/connections": http.StatusUnauthorized} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, baseURL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after SIGTERM", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after SIGTERM")
	}
}
