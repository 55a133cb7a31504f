package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// bench holds one benchmark run's state.
type bench struct {
	cfg     config
	root    string
	out     string
	started time.Time

	bin         string
	work        string
	fakeBinary  string
	terraformrc string
	baseEnv     []string
	info        machineInfo

	fakes   []*fake
	proxy   *auditProxy
	samples []sample
	notes   []string
}

// machineInfo describes where the benchmark ran.
type machineInfo struct {
	CPUs             int    `json:"cpus"`
	CPUModel         string `json:"cpuModel"`
	GoVersion        string `json:"goVersion"`
	TerraformVersion string `json:"terraformVersion"`
	OS               string `json:"os"`
}

func (b *bench) run(ctx context.Context) error {
	b.bin = filepath.Join(b.out, "bin")
	b.work = filepath.Join(b.out, "work")
	if err := os.RemoveAll(b.work); err != nil {
		return err
	}
	for _, dir := range []string{b.bin, b.work} {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	}
	if err := b.describeMachine(ctx); err != nil {
		return err
	}
	logf("Terraform %s, %s, %d CPUs (%s)", b.info.TerraformVersion, b.info.GoVersion, b.info.CPUs, b.info.CPUModel)
	if err := b.build(ctx); err != nil {
		return err
	}
	b.setupEnv()
	if err := b.exportConnectionSchema(ctx); err != nil {
		return err
	}

	if b.cfg.parts["resources"] || b.cfg.parts["latency"] {
		if err := b.runResources(ctx); err != nil {
			return err
		}
	}
	if b.cfg.parts["list"] {
		if err := b.runList(ctx); err != nil {
			return err
		}
	}
	if b.cfg.parts["audit"] {
		if err := b.runAudit(ctx); err != nil {
			return err
		}
	}
	return b.writeReport()
}

func (b *bench) cleanup() {
	b.proxy.close()
	for _, f := range b.fakes {
		f.stop()
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// relPath shortens a path under the working directory for messages.
func relPath(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return path
}

func (b *bench) describeMachine(ctx context.Context) error {
	b.info = machineInfo{CPUs: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
				b.info.CPUModel = strings.TrimSpace(value)
				break
			}
		}
	}
	goVersion, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	if err != nil {
		return fmt.Errorf("go env GOVERSION: %w", err)
	}
	b.info.GoVersion = strings.TrimSpace(string(goVersion))
	tfPath, err := exec.LookPath(b.cfg.terraform)
	if err != nil {
		return fmt.Errorf("terraform not found (set TERRAFORM or put it on PATH): %w", err)
	}
	b.cfg.terraform = tfPath
	cmd := exec.CommandContext(ctx, tfPath, "version", "-json") //nolint:gosec // the Terraform the user chose
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("terraform version: %w", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return fmt.Errorf("terraform version -json: %w", err)
	}
	b.info.TerraformVersion = v.Version
	return nil
}

// build compiles the provider, the do-nothing provider, the wrapper that
// measures them, and the fake. Each provider's dev_overrides folder holds
// the wrapper under the provider's name and the real binary as ".real".
func (b *bench) build(ctx context.Context) error {
	logf("building the provider, the no-op provider, the measuring wrapper and the fake")
	wrapper := filepath.Join(b.bin, "provwrap")
	b.fakeBinary = filepath.Join(b.bin, "fakeauthress")
	providerSource := b.root
	if b.cfg.providerSource != "" {
		providerSource = b.cfg.providerSource
		logf("building the provider from %s (BENCH_PROVIDER_SOURCE)", providerSource)
		b.notes = append(b.notes, "The provider was built from BENCH_PROVIDER_SOURCE, another checkout (a candidate change), not from this one.")
	}
	providerBuild := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(b.bin, "authress", "terraform-provider-authress.real"), ".") //nolint:gosec // go build into .bench/
	providerBuild.Dir = providerSource
	providerBuild.Stdout, providerBuild.Stderr = os.Stderr, os.Stderr
	if err := providerBuild.Run(); err != nil {
		return fmt.Errorf("go build the provider: %w", err)
	}
	builds := [][2]string{
		{filepath.Join(b.bin, "noop", "terraform-provider-noop.real"), "./bench/noopprovider"},
		{wrapper, "./bench/provwrap"},
		{b.fakeBinary, "./internal/fakeauthress/cmd/fakeauthress"},
	}
	for _, build := range builds {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", build[0], build[1]) //nolint:gosec // go build into .bench/
		cmd.Dir = b.root
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", build[1], err)
		}
	}
	for _, name := range []string{"authress/terraform-provider-authress", "noop/terraform-provider-noop"} {
		if err := copyFile(wrapper, filepath.Join(b.bin, name)); err != nil {
			return err
		}
	}
	b.terraformrc = filepath.Join(b.out, "terraformrc")
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/authress-community/authress" = %q
    "registry.terraform.io/bench/noop"                  = %q
  }
  direct {}
}
`, filepath.Join(b.bin, "authress"), filepath.Join(b.bin, "noop"))
	return os.WriteFile(b.terraformrc, []byte(rc), 0o644) //nolint:gosec // not secret
}

func copyFile(from, to string) error {
	src, err := os.Open(from) //nolint:gosec // our own build output
	if err != nil {
		return err
	}
	defer src.Close()
	_ = os.Remove(to)
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755) //nolint:gosec // an executable
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		_ = dst.Close()
		return err
	}
	return dst.Close()
}

// setupEnv builds the environment every Terraform command starts from: the
// caller's, without anything that would change what is measured (logging,
// CLI arguments, variables, a CLI configuration), plus the benchmark's.
func (b *bench) setupEnv() {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "TF_"), strings.HasPrefix(name, "AUTHRESS_"),
			strings.HasPrefix(name, "BENCH_"), name == "CHECKPOINT_DISABLE":
			continue
		}
		b.baseEnv = append(b.baseEnv, kv)
	}
	b.baseEnv = append(b.baseEnv,
		"TF_CLI_CONFIG_FILE="+b.terraformrc,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
	)
}

// exportConnectionSchema writes authress_connection's schema, as Terraform
// sees it, for the noop provider's noop_connection.
func (b *bench) exportConnectionSchema(ctx context.Context) error {
	wd, err := newWorkdir(b.work, "schema", kindAuthress, 0, authressConfig)
	if err != nil {
		return err
	}
	res, err := runTerraform(ctx, b.cfg.terraform, wd.dir, b.baseEnv, []string{"providers", "schema", "-json"}, b.cfg.cmdTimeout, filepath.Join(wd.dir, "logs", "schema.out"))
	if err == nil && res.exitCode != 0 {
		err = fmt.Errorf("exit code %d", res.exitCode)
	}
	if err != nil {
		return fmt.Errorf("terraform providers schema: %w", err)
	}
	var doc struct {
		ProviderSchemas map[string]struct {
			ResourceSchemas map[string]struct {
				Block json.RawMessage `json:"block"`
			} `json:"resource_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		return fmt.Errorf("terraform providers schema -json: %w", err)
	}
	block := doc.ProviderSchemas["registry.terraform.io/authress-community/authress"].ResourceSchemas["authress_connection"].Block
	if len(block) == 0 {
		return fmt.Errorf("terraform providers schema -json has no authress_connection")
	}
	path := filepath.Join(b.work, "connection-schema.json")
	if err := os.WriteFile(path, block, 0o644); err != nil { //nolint:gosec // not secret
		return err
	}
	b.baseEnv = append(b.baseEnv, "BENCH_NOOP_SCHEMA="+path)
	return nil
}

// endpoint is where a phase's provider sends its API requests.
type endpoint struct {
	fake  *fake
	proxy *auditProxy
}

func (e endpoint) url() string {
	if e.proxy != nil {
		return e.proxy.url()
	}
	return e.fake.apiURL
}

func (e endpoint) port() int {
	if e.proxy != nil {
		return e.proxy.port
	}
	return e.fake.port
}

func slug(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			sb.WriteRune(r)
		case sb.Len() > 0 && !strings.HasSuffix(sb.String(), "-"):
			sb.WriteByte('-')
		}
	}
	return strings.TrimSuffix(sb.String(), "-")
}

// runPhase runs one phase in wd and measures it.
func (b *bench) runPhase(ctx context.Context, wd *workdir, part, phase string, run int, ep endpoint) error {
	s := sample{Part: part, Kind: wd.kind, N: wd.n, Phase: phase, Run: run, Audit: ep.proxy != nil}
	prefix := filepath.Join(wd.dir, "logs", fmt.Sprintf("run%d-%s", run, slug(phase)))
	providerLog := prefix + ".providers.jsonl"
	_ = os.Remove(providerLog)
	env := append([]string{}, b.baseEnv...)
	env = append(env, "BENCH_PROVIDER_LOG="+providerLog)
	if ep.fake != nil && wd.kind == kindAuthress {
		env = append(env,
			"AUTHRESS_API_URL="+ep.url(),
			"AUTHRESS_KEY="+ep.fake.accessKey,
			"BENCH_API_PORT="+strconv.Itoa(ep.port()),
			"BENCH_STDERR_COUNT="+retryMessage,
		)
		if phase == phaseList {
			// The framework's own timing of the read is a TRACE line of the
			// protocol logger; ask for it even if the provider quiets the SDK.
			env = append(env, "BENCH_RPC=ReadDataSource", "TF_LOG_SDK_PROTO=TRACE")
		}
	}
	tfLog := prefix + ".tf.log"
	if s.Audit {
		// Terraform then parses every provider log line: too costly for the
		// timed parts, fine for the audit.
		_ = os.Remove(tfLog)
		env = append(env, "TF_LOG_PROVIDER=INFO", "TF_LOG_PATH="+tfLog)
	}

	var fakeCPU0 float64
	if ep.fake != nil && wd.kind == kindAuthress {
		if err := ep.fake.resetStats(ctx); err != nil {
			return err
		}
		fakeCPU0 = ep.fake.cpuSeconds()
	}
	if ep.proxy != nil {
		ep.proxy.take()
	}

	res, err := runTerraform(ctx, b.cfg.terraform, wd.dir, env, phaseArgs(phase, wd.n, b.cfg.parallelism), b.cfg.cmdTimeout, prefix+".out")
	if err != nil {
		return fmt.Errorf("%s N=%d %s: %w (see %s)", wd.kind, wd.n, phase, err, relPath(prefix+".out"))
	}
	s.WallSeconds = res.wall.Seconds()
	s.TotalCPUSeconds = res.cpu.Seconds()
	s.Load1 = loadAverage()
	listed, err := checkOutcome(phase, wd.n, res.exitCode, res.stdout)
	if err != nil {
		return fmt.Errorf("%s N=%d %s: %w (see %s)", wd.kind, wd.n, phase, err, relPath(prefix+".out"))
	}
	s.ListedInOutputs = listed

	records, err := readProviderRecords(providerLog)
	if err != nil {
		return fmt.Errorf("%s N=%d %s: %w", wd.kind, wd.n, phase, err)
	}
	for _, rec := range records {
		s.ProviderProcs++
		if rec.APIConns > 0 {
			s.ProviderAPIProcs++
		}
		s.ProviderCPUSeconds += rec.UserSeconds + rec.SysSeconds
		s.ProviderPeakRSSKiB = max(s.ProviderPeakRSSKiB, rec.MaxRSSKiB)
		s.ProviderMaxAPIConns = max(s.ProviderMaxAPIConns, rec.APIConns)
		s.RetriesLogged += rec.StderrMatches
		s.RPCDurationsMs = append(s.RPCDurationsMs, rec.RPCDurationsMs...)
	}

	if ep.fake != nil && wd.kind == kindAuthress {
		st, err := ep.fake.stats(ctx)
		if err != nil {
			return err
		}
		s.Fake = true
		s.FakeCPUSeconds = ep.fake.cpuSeconds() - fakeCPU0
		s.Requests = st.Requests
		s.Writes = st.Writes
		s.Unauthorized = st.Unauthorized
		s.ConnsOpened = st.ConnsOpened
		for _, n := range st.FaultsInjected {
			s.Faults += n
		}
	}
	if ep.proxy != nil {
		c := ep.proxy.take()
		s.ProxyRequests = c.Requests
		s.ProxyConns = c.Conns
		s.BearerTokens = len(c.Tokens)
		s.MaxInFlight = c.MaxInFlight
		if span := c.Last.Sub(c.First); span > 0 {
			s.APISpanSeconds = span.Seconds()
			s.MeanInFlight = c.Busy.Seconds() / span.Seconds()
		}
		lines, err := readLines(tfLog)
		if err != nil {
			return err
		}
		for _, line := range lines {
			if strings.Contains(line, retryMessage) {
				s.RetriesInTFLog++
			}
		}
	}
	logf("[%s run %d] %-14s N=%-5d %-19s %6.2fs wall, %6.2fs CPU (provider %5.2fs), load %.1f",
		part, run, wd.kind, wd.n, phase, s.WallSeconds, s.TotalCPUSeconds, s.ProviderCPUSeconds, s.Load1)
	b.samples = append(b.samples, s)
	return nil
}

func (b *bench) runPhases(ctx context.Context, wd *workdir, part string, run int, ep endpoint) error {
	for _, phase := range resourcePhases {
		if err := b.runPhase(ctx, wd, part, phase, run, ep); err != nil {
			return err
		}
	}
	return nil
}

func (b *bench) startFake(ctx context.Context, name string, args ...string) (*fake, error) {
	f, err := startFake(ctx, b.fakeBinary, filepath.Join(b.work, "fakes"), name, args...)
	if err != nil {
		return nil, err
	}
	b.fakes = append(b.fakes, f)
	return f, nil
}

// lane is one working folder measured in lockstep with others.
type lane struct {
	wd   *workdir
	part string
	ep   endpoint
}

// runLockstep runs the five phases on every lane, phase by phase: each phase
// runs on all lanes back to back, so a change in the machine's load between
// phases touches every lane alike and per-run ratios compare runs made
// seconds apart. The lane order rotates from run to run.
func (b *bench) runLockstep(ctx context.Context, lanes []lane, run int) error {
	for _, phase := range resourcePhases {
		for i := range lanes {
			l := lanes[(i+run-1)%len(lanes)]
			if err := b.runPhase(ctx, l.wd, l.part, phase, run, l.ep); err != nil {
				return err
			}
		}
	}
	return nil
}

// runResources measures the five phases on every kind and size, and the
// latency-bound runs next to their zero-latency reference.
func (b *bench) runResources(ctx context.Context) error {
	cfg := b.cfg
	zero, err := b.startFake(ctx, "main")
	if err != nil {
		return err
	}
	var slow *fake
	if cfg.parts["latency"] {
		if slow, err = b.startFake(ctx, "latency", "-latency", cfg.latency.String()); err != nil {
			return err
		}
	}
	dirs := map[string]*workdir{}
	newLane := func(kind string, n int, part string, ep endpoint) (lane, error) {
		name := fmt.Sprintf("%s-%d", slug(kind), n)
		if part != "resources" {
			name += "-" + part
		}
		wd, ok := dirs[name]
		if !ok {
			var err error
			if wd, err = newWorkdir(b.work, name, kind, n, configFor(kind)); err != nil {
				return lane{}, err
			}
			dirs[name] = wd
		}
		return lane{wd: wd, part: part, ep: ep}, nil
	}

	// Lane sets: one per size, plus one for the latency reference when no
	// size has it.
	var sets [][]lane
	latencyPlaced := false
	if cfg.parts["resources"] {
		for _, n := range cfg.sizes {
			var set []lane
			for _, kind := range []string{kindData, kindNoop, kindShaped, kindAuthress} {
				l, err := newLane(kind, n, "resources", endpoint{fake: zero})
				if err != nil {
					return err
				}
				set = append(set, l)
			}
			if cfg.parts["latency"] && n == cfg.latencyN && !latencyPlaced {
				l, err := newLane(kindAuthress, n, "latency", endpoint{fake: slow})
				if err != nil {
					return err
				}
				set = append(set, l)
				latencyPlaced = true
			}
			sets = append(sets, set)
		}
	}
	if cfg.parts["latency"] && !latencyPlaced {
		ref, err := newLane(kindAuthress, cfg.latencyN, "resources", endpoint{fake: zero})
		if err != nil {
			return err
		}
		l, err := newLane(kindAuthress, cfg.latencyN, "latency", endpoint{fake: slow})
		if err != nil {
			return err
		}
		sets = append(sets, []lane{ref, l})
	}

	for run := 1; run <= cfg.runs; run++ {
		for _, set := range sets {
			if err := b.runLockstep(ctx, set, run); err != nil {
				return err
			}
		}
	}
	return nil
}

// runList seeds a fresh fake with listN connections and reads them with the
// authress_connections data source.
func (b *bench) runList(ctx context.Context) error {
	cfg := b.cfg
	f, err := b.startFake(ctx, "list", "-page-size", strconv.Itoa(cfg.listPageSize))
	if err != nil {
		return err
	}
	start := time.Now()
	if err := f.seed(ctx, cfg.listN); err != nil {
		return fmt.Errorf("seeding %d connections: %w", cfg.listN, err)
	}
	b.notes = append(b.notes, fmt.Sprintf("Seeding %d connections with POST /_fake/connections took %.1fs.", cfg.listN, time.Since(start).Seconds()))
	logf("seeded %d connections in %.1fs", cfg.listN, time.Since(start).Seconds())
	wd, err := newWorkdir(b.work, "authress-list", kindAuthress, cfg.listN, listConfig)
	if err != nil {
		return err
	}
	for run := 1; run <= cfg.runs; run++ {
		if err := b.runPhase(ctx, wd, "list", phaseList, run, endpoint{fake: f}); err != nil {
			return err
		}
	}
	f.stop()
	return nil
}

// runAudit runs the phases once through the counting proxy, with the
// provider's INFO log kept by Terraform, against the latency fake when
// there is one (so that requests in flight mean something).
func (b *bench) runAudit(ctx context.Context) error {
	var target *fake
	for _, f := range b.fakes {
		if f.name == "latency" {
			target = f
		}
	}
	if target == nil {
		var err error
		if target, err = b.startFake(ctx, "latency", "-latency", b.cfg.latency.String()); err != nil {
			return err
		}
	}
	p, err := startAuditProxy(ctx, target.apiURL)
	if err != nil {
		return err
	}
	b.proxy = p
	wd, err := newWorkdir(b.work, "authress-audit", kindAuthress, b.cfg.latencyN, authressConfig)
	if err != nil {
		return err
	}
	return b.runPhases(ctx, wd, "audit", 1, endpoint{fake: target, proxy: p})
}
