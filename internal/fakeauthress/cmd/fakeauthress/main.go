// Command fakeauthress serves the in-memory Authress connections API on a
// loopback address. On start it prints the environment a client needs:
//
//	AUTHRESS_API_URL=http://127.0.0.1:PORT
//	AUTHRESS_KEY=<service client access key>
//
// and serves until SIGINT or SIGTERM. Admin endpoints under /_fake/ expose
// statistics and out-of-band changes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"terraform-provider-authress/internal/fakeauthress"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "fakeauthress:", err)
		os.Exit(1)
	}
}

type config struct {
	addr        string
	opts        fakeauthress.Options
	faults      fakeauthress.FaultConfig
	faultKinds  string
	envFilePath string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("fakeauthress", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "loopback host:port to listen on")
	fs.StringVar(&cfg.opts.AccountID, "account", "acc_fake", "Authress account id")
	fs.IntVar(&cfg.opts.PageSize, "page-size", 20, "default list page size")
	fs.BoolVar(&cfg.opts.EchoClientSecret, "echo-client-secret", false, "include clientSecret in responses")
	fs.DurationVar(&cfg.faults.Latency, "latency", 0, "delay added to every /v1 answer")
	fs.Float64Var(&cfg.faults.Rate, "fault-rate", 0, "fraction of /v1 requests to fault, 0..1")
	fs.StringVar(&cfg.faultKinds, "fault-kinds", "", "comma-separated fault kinds (default all): 503,429,drop-before,drop-after,malformed-json,html-500")
	fs.Int64Var(&cfg.faults.Seed, "seed", 1, "fault sequence seed")
	fs.DurationVar(&cfg.faults.RetryAfter, "retry-after", time.Second, "Retry-After sent with 429 faults")
	fs.StringVar(&cfg.envFilePath, "env-file", "", "also write the AUTHRESS_* lines to this file (mode 0600)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if cfg.faults.Rate < 0 || cfg.faults.Rate > 1 {
		return cfg, fmt.Errorf("-fault-rate must be within 0..1, got %v", cfg.faults.Rate)
	}
	kinds, err := fakeauthress.ParseFaultKinds(cfg.faultKinds)
	if err != nil {
		return cfg, err
	}
	cfg.faults.Kinds = kinds
	if err := requireLoopback(cfg.addr); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// requireLoopback refuses listen addresses reachable from other machines:
// the server accepts a well-known test key and has unauthenticated admin
// endpoints.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: only loopback hosts (127.0.0.1, ::1, localhost) are allowed", addr)
	}
	return nil
}

func run(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	// Listen for signals before announcing the address, so a supervisor that
	// stops the server right after reading it is never ignored.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	server, err := fakeauthress.New(cfg.opts)
	if err != nil {
		return err
	}
	server.SetFaults(cfg.faults)

	var listenConfig net.ListenConfig
	listener, err := listenConfig.Listen(ctx, "tcp", cfg.addr)
	if err != nil {
		return err
	}
	baseURL := "http://" + listener.Addr().String()
	server.SetBaseURL(baseURL)

	env := fmt.Sprintf("AUTHRESS_API_URL=%s\nAUTHRESS_KEY=%s\n", baseURL, server.AccessKey())
	if cfg.envFilePath != "" {
		if err := writePrivateFile(cfg.envFilePath, []byte(env)); err != nil {
			_ = listener.Close()
			return err
		}
	}
	if _, err := io.WriteString(stdout, env); err != nil {
		_ = listener.Close()
		return err
	}

	httpServer := &http.Server{
		Handler:           server.Handler(),
		ConnState:         server.ConnState,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpServer.Serve(listener) }()

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintln(stderr, "fakeauthress: shutdown:", err)
		_ = httpServer.Close()
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// writePrivateFile writes data readable only by the owner. It writes a
// temporary file and renames it, so a reader never sees a partial file.
func writePrivateFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fakeauthress-env-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
