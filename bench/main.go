// Command bench is the provider's performance benchmark, run by `make bench`
// (or `go run ./bench` from the repository root). It drives the real
// Terraform CLI; it does not import the provider.
//
// It builds the provider, a do-nothing provider (bench/noopprovider: the
// floor for any plugin) and the standalone Authress fake, then measures, with
// -parallelism=10, each of five phases (create, plan, no-change apply,
// update-all apply, destroy) on N authress_connection, N noop_thing and N
// terraform_data resources, side by side; a read of the
// authress_connections data source over 10,000 connections; the N = 100
// phases again with latency added at the fake; and an audit pass through a
// counting proxy (bearer tokens per provider process, requests in flight).
//
// Settings, from the environment (make bench passes them through):
//
//	BENCH_RUNS         runs per figure; each figure is the median (default 3)
//	BENCH_SIZES        resource counts, comma-separated (default 100,500)
//	BENCH_PARTS        any of resources,latency,list,audit (default all)
//	BENCH_PARALLELISM  terraform -parallelism (default 10)
//	BENCH_LATENCY      latency added at the fake for the latency part (default 20ms)
//	BENCH_LATENCY_N    resources in the latency and audit parts (default 100)
//	BENCH_LIST_N       connections listed by the list part (default 10000)
//	BENCH_LIST_PAGE    the fake's page size for the list part (default 100)
//	BENCH_TIMEOUT      bound on the whole benchmark (default 40m)
//	BENCH_PROVIDER_SOURCE  another checkout of the provider to build and
//	                   measure instead of this one (to try a change)
//	TERRAFORM          the Terraform binary (default: terraform on PATH)
//
// Everything it writes goes under .bench/ (git-ignored): binaries, Terraform
// working folders, and the results as Markdown and JSON.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := mainErr(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// config is the benchmark's settings.
type config struct {
	runs         int
	sizes        []int
	parts        map[string]bool
	parallelism  int
	latency      time.Duration
	latencyN     int
	listN        int
	listPageSize int
	timeout      time.Duration
	cmdTimeout   time.Duration
	terraform    string
	// providerSource is another checkout of the provider to build and
	// measure instead of this one, to compare a candidate change.
	providerSource string
}

var allParts = []string{"resources", "latency", "list", "audit"}

func loadConfig() (config, error) {
	cfg := config{cmdTimeout: 10 * time.Minute}
	var err error
	envInt := func(name string, def, hi int) int {
		if err != nil {
			return 0
		}
		raw := strings.TrimSpace(os.Getenv(name))
		if raw == "" {
			return def
		}
		n, convErr := strconv.Atoi(raw)
		if convErr != nil || n < 1 || n > hi {
			err = fmt.Errorf("%s=%q: want an integer from 1 to %d", name, raw, hi)
			return 0
		}
		return n
	}
	envDuration := func(name string, def, lo, hi time.Duration) time.Duration {
		if err != nil {
			return 0
		}
		raw := strings.TrimSpace(os.Getenv(name))
		if raw == "" {
			return def
		}
		d, convErr := time.ParseDuration(raw)
		if convErr != nil || d < lo || d > hi {
			err = fmt.Errorf("%s=%q: want a duration from %s to %s", name, raw, lo, hi)
			return 0
		}
		return d
	}
	cfg.runs = envInt("BENCH_RUNS", 3, 20)
	cfg.parallelism = envInt("BENCH_PARALLELISM", 10, 256)
	cfg.latencyN = envInt("BENCH_LATENCY_N", 100, 5000)
	cfg.listN = envInt("BENCH_LIST_N", 10000, 10000) // the fake holds at most 10,000
	cfg.listPageSize = envInt("BENCH_LIST_PAGE", 100, 100)
	cfg.latency = envDuration("BENCH_LATENCY", 20*time.Millisecond, time.Millisecond, time.Second)
	cfg.timeout = envDuration("BENCH_TIMEOUT", 40*time.Minute, time.Minute, 4*time.Hour)
	if err != nil {
		return cfg, err
	}

	sizes := strings.TrimSpace(os.Getenv("BENCH_SIZES"))
	if sizes == "" {
		sizes = "100,500"
	}
	for _, field := range strings.Split(sizes, ",") {
		n, convErr := strconv.Atoi(strings.TrimSpace(field))
		if convErr != nil || n < 1 || n > 5000 {
			return cfg, fmt.Errorf("BENCH_SIZES=%q: want comma-separated counts from 1 to 5000", sizes)
		}
		cfg.sizes = append(cfg.sizes, n)
	}

	cfg.parts = map[string]bool{}
	parts := strings.TrimSpace(os.Getenv("BENCH_PARTS"))
	if parts == "" {
		parts = strings.Join(allParts, ",")
	}
	for _, field := range strings.Split(parts, ",") {
		field = strings.TrimSpace(field)
		if !contains(allParts, field) {
			return cfg, fmt.Errorf("BENCH_PARTS=%q: unknown part %q (known: %s)", parts, field, strings.Join(allParts, ","))
		}
		cfg.parts[field] = true
	}

	if src := os.Getenv("BENCH_PROVIDER_SOURCE"); src != "" {
		abs, absErr := filepath.Abs(src)
		if absErr != nil {
			return cfg, absErr
		}
		cfg.providerSource = abs
	}

	cfg.terraform = os.Getenv("TERRAFORM")
	if cfg.terraform == "" {
		cfg.terraform = "terraform"
	}
	return cfg, nil
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func mainErr() error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	root, err := findRepoRoot()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	b := &bench{cfg: cfg, root: root, out: filepath.Join(root, ".bench"), started: time.Now()}
	defer b.cleanup()
	runErr := b.run(ctx)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		runErr = fmt.Errorf("stopped after BENCH_TIMEOUT=%s: %w", cfg.timeout, runErr)
	}
	return runErr
}

// findRepoRoot walks up from the working directory to the provider's go.mod.
func findRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for range 64 {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod")) //nolint:gosec // looking for the repository root
		if err == nil && strings.HasPrefix(string(data), "module terraform-provider-authress\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", errors.New("run the benchmark from inside the terraform-provider-authress repository")
}
