package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Kinds of resource measured side by side.
const (
	kindData     = "terraform_data"
	kindNoop     = "noop plugin"
	kindShaped   = "noop, connection schema"
	kindAuthress = "authress"
)

// Phases, in the order they run on one working folder.
const (
	phaseCreate  = "apply (create)"
	phasePlan    = "plan (refresh)"
	phaseNoop    = "apply (no changes)"
	phaseUpdate  = "apply (update all)"
	phaseDestroy = "destroy"
	phaseList    = "list (data source)"
)

var resourcePhases = []string{phaseCreate, phasePlan, phaseNoop, phaseUpdate, phaseDestroy}

// retryMessage is what the provider logs, at INFO, before each retry.
const retryMessage = "Retrying Authress API request"

const authressConfig = `terraform {
  required_providers {
    authress = {
      source = "authress-community/authress"
    }
  }
}

# api_url and access_key come from AUTHRESS_API_URL and AUTHRESS_KEY.
provider "authress" {}

variable "n" {
  type = number
}

variable "generation" {
  type = number
}

resource "authress_connection" "bench" {
  count              = var.n
  authentication_url = "https://idp${count.index}.example.com/oauth2/authorize"
  token_url          = "https://idp${count.index}.example.com/oauth2/token"
  issuer_url         = "https://idp${count.index}.example.com"
  client_id          = "bench-client-${count.index}"

  data = {
    name = "Benchmark connection ${count.index}, generation ${var.generation}"
  }

  tags = {
    team = "bench"
  }
}
`

const noopConfig = `terraform {
  required_providers {
    noop = {
      source = "bench/noop"
    }
  }
}

variable "n" {
  type = number
}

variable "generation" {
  type = number
}

resource "noop_thing" "bench" {
  count = var.n
  input = "Benchmark thing ${count.index}, generation ${var.generation}"
}
`

const dataConfig = `variable "n" {
  type = number
}

variable "generation" {
  type = number
}

resource "terraform_data" "bench" {
  count = var.n
  input = "Benchmark thing ${count.index}, generation ${var.generation}"
}
`

const listConfig = `terraform {
  required_providers {
    authress = {
      source = "authress-community/authress"
    }
  }
}

provider "authress" {}

data "authress_connections" "all" {}

output "count" {
  value = length(data.authress_connections.all.connections)
}
`

// shapedConfig is authressConfig on noop_connection, the do-nothing resource
// with authress_connection's schema.
var shapedConfig = strings.NewReplacer(
	`authress = {
      source = "authress-community/authress"`, `noop = {
      source = "bench/noop"`,
	`# api_url and access_key come from AUTHRESS_API_URL and AUTHRESS_KEY.
provider "authress" {}
`, ``,
	`resource "authress_connection"`, `resource "noop_connection"`,
).Replace(authressConfig)

func configFor(kind string) string {
	switch kind {
	case kindAuthress:
		return authressConfig
	case kindShaped:
		return shapedConfig
	case kindNoop:
		return noopConfig
	}
	return dataConfig
}

// providerRecord is one line the provwrap wrapper writes.
type providerRecord struct {
	Event          string    `json:"event"`
	PID            int       `json:"pid"`
	WallSeconds    float64   `json:"wallSeconds"`
	UserSeconds    float64   `json:"userSeconds"`
	SysSeconds     float64   `json:"sysSeconds"`
	MaxRSSKiB      int64     `json:"maxRssKiB"`
	APIConns       int       `json:"apiConns"`
	StderrMatches  int       `json:"stderrMatches"`
	RPCDurationsMs []float64 `json:"rpcDurationsMs"`
	ExitCode       int       `json:"exitCode"`
}

// sample is one measured phase.
type sample struct {
	Part  string `json:"part"`
	Kind  string `json:"kind"`
	N     int    `json:"n"`
	Phase string `json:"phase"`
	Run   int    `json:"run"`

	WallSeconds     float64 `json:"wallSeconds"`
	TotalCPUSeconds float64 `json:"totalCpuSeconds"` // terraform and its plugins
	Load1           float64 `json:"load1"`           // 1-minute load average after the phase

	ProviderProcs       int       `json:"providerProcs"`
	ProviderAPIProcs    int       `json:"providerApiProcs"`
	ProviderCPUSeconds  float64   `json:"providerCpuSeconds"`
	ProviderPeakRSSKiB  int64     `json:"providerPeakRssKiB"`
	ProviderMaxAPIConns int       `json:"providerMaxApiConns"`
	RetriesLogged       int       `json:"retriesLogged"`
	RPCDurationsMs      []float64 `json:"rpcDurationsMs,omitempty"`

	Fake           bool           `json:"fake"`
	Requests       map[string]int `json:"requests,omitempty"`
	Writes         int            `json:"writes"`
	Faults         int            `json:"faults"`
	Unauthorized   int            `json:"unauthorized"`
	ConnsOpened    int            `json:"connsOpened"`
	FakeCPUSeconds float64        `json:"fakeCpuSeconds"`

	// Audit part only.
	Audit           bool    `json:"audit"`
	ProxyRequests   int     `json:"proxyRequests,omitempty"`
	ProxyConns      int     `json:"proxyConns,omitempty"`
	BearerTokens    int     `json:"bearerTokens,omitempty"`
	MaxInFlight     int     `json:"maxInFlight,omitempty"`
	MeanInFlight    float64 `json:"meanInFlight,omitempty"`
	RetriesInTFLog  int     `json:"retriesInTfLog,omitempty"`
	APISpanSeconds  float64 `json:"apiSpanSeconds,omitempty"`
	ListedInOutputs int     `json:"listed,omitempty"`
}

// workdir is one Terraform working folder: a configuration and its state.
type workdir struct {
	dir  string
	kind string
	n    int
}

func newWorkdir(base, name, kind string, n int, config string) (*workdir, error) {
	dir := filepath.Join(base, name)
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o750); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		return nil, err
	}
	return &workdir{dir: dir, kind: kind, n: n}, nil
}

// phaseArgs is the Terraform command line of a phase.
func phaseArgs(phase string, n, parallelism int) []string {
	common := []string{"-input=false", "-no-color", "-parallelism=" + strconv.Itoa(parallelism), "-var", "n=" + strconv.Itoa(n)}
	switch phase {
	case phaseCreate:
		return append(append([]string{"apply", "-auto-approve"}, common...), "-var", "generation=1")
	case phasePlan:
		return append(append([]string{"plan", "-detailed-exitcode"}, common...), "-var", "generation=1")
	case phaseNoop:
		return append(append([]string{"apply", "-auto-approve"}, common...), "-var", "generation=1")
	case phaseUpdate:
		return append(append([]string{"apply", "-auto-approve"}, common...), "-var", "generation=2")
	case phaseDestroy:
		return append(append([]string{"destroy", "-auto-approve"}, common...), "-var", "generation=2")
	}
	return []string{"plan", "-input=false", "-no-color", "-parallelism=" + strconv.Itoa(parallelism)}
}

var (
	applySummary   = regexp.MustCompile(`Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\.`)
	destroySummary = regexp.MustCompile(`Destroy complete! Resources: (\d+) destroyed\.`)
	listedOutput   = regexp.MustCompile(`\+ count\s+=\s+(\d+)`)
)

// checkOutcome makes sure a phase did what it should, so that a failing
// provider cannot produce fast numbers.
func checkOutcome(phase string, n, exitCode int, stdout string) (int, error) {
	want := func(re *regexp.Regexp, values ...int) error {
		m := re.FindStringSubmatch(stdout)
		if m == nil {
			return fmt.Errorf("no summary line matching %q", re)
		}
		for i, v := range values {
			if got, _ := strconv.Atoi(m[i+1]); got != v {
				return fmt.Errorf("summary %q, want %v", m[0], values)
			}
		}
		return nil
	}
	switch phase {
	case phaseCreate:
		return 0, want(applySummary, n, 0, 0)
	case phasePlan:
		if exitCode != 0 {
			return 0, fmt.Errorf("plan -detailed-exitcode exited %d, want 0 (no changes)", exitCode)
		}
		return 0, nil
	case phaseNoop:
		return 0, want(applySummary, 0, 0, 0)
	case phaseUpdate:
		return 0, want(applySummary, 0, n, 0)
	case phaseDestroy:
		return 0, want(destroySummary, n)
	case phaseList:
		m := listedOutput.FindStringSubmatch(stdout)
		if m == nil {
			return 0, fmt.Errorf("the plan shows no count output")
		}
		got, _ := strconv.Atoi(m[1])
		if got != n {
			return got, fmt.Errorf("the data source listed %d connections, want %d", got, n)
		}
		return got, nil
	}
	return 0, nil
}

// commandResult is one finished Terraform command.
type commandResult struct {
	stdout   string
	exitCode int
	wall     time.Duration
	cpu      time.Duration
}

// runTerraform runs one command in its own process group, killed as a whole
// when ctx ends or the command outlives timeout.
func runTerraform(ctx context.Context, binary, dir string, env, args []string, timeout time.Duration, logPath string) (commandResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	logFile, err := os.Create(logPath) //nolint:gosec // a path under .bench/
	if err != nil {
		return commandResult{}, err
	}
	defer logFile.Close()
	var stdout strings.Builder
	cmd := exec.CommandContext(ctx, binary, args...) //nolint:gosec // the configured Terraform
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = &teeWriter{a: &stdout, b: logFile}
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return commandResult{}, err
	}
	waitErr := cmd.Wait()
	res := commandResult{stdout: stdout.String(), wall: time.Since(start)}
	if cmd.ProcessState != nil {
		res.exitCode = cmd.ProcessState.ExitCode()
		// Linux counts waited-for descendants (the plugins) in a child's rusage.
		res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if ctx.Err() != nil {
		return res, fmt.Errorf("terraform %s: %w", args[0], ctx.Err())
	}
	var exitErr *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exitErr) {
		return res, waitErr
	}
	return res, nil
}

type teeWriter struct {
	a *strings.Builder
	b *os.File
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.a.Write(p)
	return t.b.Write(p)
}

// readProviderRecords waits (bounded) until every wrapper that started has
// written its exit record, then returns the exit records.
func readProviderRecords(path string) ([]providerRecord, error) {
	deadline := time.Now().Add(15 * time.Second)
	for {
		lines, err := readLines(path)
		if err != nil {
			return nil, err
		}
		var starts int
		var exits []providerRecord
		for _, line := range lines {
			var rec providerRecord
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				return nil, fmt.Errorf("%s: %w", relPath(path), err)
			}
			switch rec.Event {
			case "start":
				starts++
			case "exit":
				exits = append(exits, rec)
			}
		}
		if len(exits) >= starts {
			return exits, nil
		}
		if time.Now().After(deadline) {
			return exits, fmt.Errorf("%d of %d provider processes did not report within 15s after Terraform exited", starts-len(exits), starts)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// loadAverage is the 1-minute load average.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(fields[0], 64)
	return v
}
