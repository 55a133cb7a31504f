package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Wall-time targets against terraform_data: create, plan and destroy are
// 1.15 times a do-nothing plugin's 0.98, 2.9 and 1.05 (measured at N = 500 on
// 2 cores); the no-change apply is a refresh and an empty plan, so it takes
// plan's, and the update takes create's.
var dataTargets = map[string]float64{
	phaseCreate:  1.13,
	phasePlan:    3.3,
	phaseNoop:    3.3,
	phaseUpdate:  1.13,
	phaseDestroy: 1.2,
}

// pluginTarget bounds the wall time against the in-run do-nothing plugin.
const pluginTarget = 1.15

// expectedCalls is the API calls per resource each phase should make: one
// for what it changes, plus the one read per resource Terraform's refresh
// asks for (a plan, and the plan inside every apply and destroy, refresh
// each resource in state before deciding; create has nothing to refresh).
var expectedCalls = map[string]map[string]int{
	phaseCreate:  {routeCreate: 1},
	phasePlan:    {routeGet: 1},
	phaseNoop:    {routeGet: 1},
	phaseUpdate:  {routeGet: 1, routeUpdate: 1},
	phaseDestroy: {routeGet: 1, routeDelete: 1},
}

// expectedWrites is the state-changing operations per resource.
var expectedWrites = map[string]int{phaseCreate: 1, phaseUpdate: 1, phaseDestroy: 1}

// criticalCalls is how many API round trips each resource waits for, one
// after the other, in a phase: the ideal latency-bound time is
// criticalCalls × N × latency / parallelism.
var criticalCalls = map[string]int{phaseCreate: 1, phasePlan: 1, phaseNoop: 1, phaseUpdate: 2, phaseDestroy: 2}

const (
	latencyTarget  = 1.3
	listTimeTarget = time.Second
	listRSSTarget  = 100 << 10 // KiB
)

func (b *bench) find(part, kind string, n int, phase string) []sample {
	var out []sample
	for _, s := range b.samples {
		if s.Part == part && s.Kind == kind && s.N == n && s.Phase == phase {
			out = append(out, s)
		}
	}
	return out
}

func median(values []float64) float64 {
	if len(values) == 0 {
		return math.NaN()
	}
	v := slices.Clone(values)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func medianOf(samples []sample, f func(sample) float64) float64 {
	values := make([]float64, 0, len(samples))
	for _, s := range samples {
		values = append(values, f(s))
	}
	return median(values)
}

// pairedRatio is the median over runs of a's figure divided by b's in the
// same run.
func pairedRatio(a, b []sample, f func(sample) float64) float64 {
	byRun := map[int]float64{}
	for _, s := range b {
		byRun[s.Run] = f(s)
	}
	var ratios []float64
	for _, s := range a {
		if d, ok := byRun[s.Run]; ok && d > 0 {
			ratios = append(ratios, f(s)/d)
		}
	}
	return median(ratios)
}

// pairedDiff is the median over runs of a's figure minus b's in the same run.
func pairedDiff(a, b []sample, f func(sample) float64) float64 {
	byRun := map[int]float64{}
	for _, s := range b {
		byRun[s.Run] = f(s)
	}
	var diffs []float64
	for _, s := range a {
		if d, ok := byRun[s.Run]; ok {
			diffs = append(diffs, f(s)-d)
		}
	}
	return median(diffs)
}

func wall(s sample) float64 { return s.WallSeconds }

func num(v float64, decimals int) string {
	if math.IsNaN(v) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Trim(s, "-0.") == "" {
		return strings.TrimPrefix(s, "-") // no "-0.00"
	}
	return s
}

func ratio(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return num(v, 2) + "×"
}

func mib(kib float64) string {
	if math.IsNaN(kib) {
		return "–"
	}
	return strconv.FormatFloat(kib/1024, 'f', 0, 64)
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// callsPerResource formats the median requests per resource by route.
func callsPerResource(samples []sample, n int) (string, map[string]float64) {
	perRoute := map[string]float64{}
	for _, route := range routeOrder {
		v := medianOf(samples, func(s sample) float64 { return float64(s.Requests[route]) })
		if v > 0 {
			perRoute[route] = v / float64(n)
		}
	}
	var parts []string
	for _, route := range routeOrder {
		if v, ok := perRoute[route]; ok {
			parts = append(parts, routeShort[route]+" "+strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
	if len(parts) == 0 {
		return "none", perRoute
	}
	return strings.Join(parts, ", "), perRoute
}

func formatExpected(m map[string]int) string {
	var parts []string
	for _, route := range routeOrder {
		if v, ok := m[route]; ok {
			parts = append(parts, routeShort[route]+" "+strconv.Itoa(v))
		}
	}
	return strings.Join(parts, ", ")
}

func callsMatch(got map[string]float64, want map[string]int) bool {
	if len(got) != len(want) {
		return false
	}
	for route, v := range want {
		if got[route] != float64(v) {
			return false
		}
	}
	return true
}

// report renders the results as Markdown.
func (b *bench) report() (string, []string) {
	cfg := b.cfg
	var sb strings.Builder
	var missed []string
	w := func(format string, args ...any) { fmt.Fprintf(&sb, format, args...) }

	loads := make([]float64, 0, len(b.samples))
	for _, s := range b.samples {
		loads = append(loads, s.Load1)
	}
	partNames := make([]string, 0, len(cfg.parts))
	for _, p := range allParts {
		if cfg.parts[p] {
			partNames = append(partNames, p)
		}
	}
	sizes := make([]string, 0, len(cfg.sizes))
	for _, n := range cfg.sizes {
		sizes = append(sizes, strconv.Itoa(n))
	}

	w("# Benchmark results\n\n")
	w("- Command: `make bench` with BENCH_RUNS=%d BENCH_SIZES=%s BENCH_PARTS=%s (`-parallelism=%d`)\n",
		cfg.runs, strings.Join(sizes, ","), strings.Join(partNames, ","), cfg.parallelism)
	w("- Machine: %d CPUs, %s, %s; %s; Terraform %s\n", b.info.CPUs, b.info.CPUModel, b.info.OS, b.info.GoVersion, b.info.TerraformVersion)
	w("- Started %s UTC, took %s\n", b.started.UTC().Format("2006-01-02 15:04"), time.Since(b.started).Round(time.Second))
	if len(loads) > 0 {
		w("- 1-minute load average after each phase: median %.1f, max %.1f (on %d CPUs; above %d, other work competed for the CPUs)\n",
			median(loads), slices.Max(loads), b.info.CPUs, b.info.CPUs)
	}
	w("- Each figure is the median of %d runs; a ratio is the median of per-run ratios. Within a run every phase runs on all kinds back to back, so the two sides of a ratio ran seconds apart.\n", cfg.runs)
	w("- Retries: counted from the provider's own log lines %q (read from its standard error by the measuring wrapper), and checked against the fake (requests beyond one per operation).\n", retryMessage)
	for _, note := range b.notes {
		w("- %s\n", note)
	}
	w("\n")

	if cfg.parts["resources"] {
		w("## Wall time against Terraform's floor (zero latency)\n\n")
		w("Seconds; in parentheses, the ratio to terraform_data. `terraform_data` runs inside Terraform: no plugin can beat it. The noop plugin is a provider built with the same framework whose resource (an id and a string, like terraform_data) does nothing: the floor for any plugin. \"noop, connection schema\" is the same do-nothing provider serving a resource with authress_connection's attributes, read from `terraform providers schema -json` (no validators, defaults or API calls): what a resource of that size costs Terraform and the framework. Targets marked * are extrapolated (see PERFORMANCE.md).\n\n")
		w("| N | phase | terraform_data | noop plugin | noop, connection schema | authress | authress ÷ terraform_data | target | authress ÷ noop plugin (target %.2f×) | authress ÷ noop, connection schema | met |\n", pluginTarget)
		w("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n")
		for _, n := range cfg.sizes {
			for _, phase := range resourcePhases {
				data := b.find("resources", kindData, n, phase)
				noop := b.find("resources", kindNoop, n, phase)
				shaped := b.find("resources", kindShaped, n, phase)
				auth := b.find("resources", kindAuthress, n, phase)
				rd := pairedRatio(auth, data, wall)
				rn := pairedRatio(auth, noop, wall)
				target := dataTargets[phase]
				mark := ""
				if phase == phaseNoop || phase == phaseUpdate {
					mark = "*"
				}
				ok := rd <= target && rn <= pluginTarget
				if !ok {
					missed = append(missed, fmt.Sprintf("wall time, N=%d %s: %s terraform_data (target %.2f×), %s the noop plugin (target %.2f×)", n, phase, ratio(rd), target, ratio(rn), pluginTarget))
				}
				w("| %d | %s | %s | %s (%s) | %s (%s) | %s | %s | %.2f×%s | %s | %s | %s |\n", n, phase,
					num(medianOf(data, wall), 2),
					num(medianOf(noop, wall), 2), ratio(pairedRatio(noop, data, wall)),
					num(medianOf(shaped, wall), 2), ratio(pairedRatio(shaped, data, wall)),
					num(medianOf(auth, wall), 2), ratio(rd), target, mark, ratio(rn), ratio(pairedRatio(auth, shaped, wall)), yes(ok))
			}
		}
		w("\n")

		w("## CPU time (zero latency)\n\n")
		w("Seconds of CPU used by Terraform and its plugins (from the rusage of the terraform process, which counts the plugins it waited for); in parentheses the plugin processes' share, measured by the wrapper, so the rest is Terraform core's. The fake's own CPU time is apart: it shares the machine.\n\n")
		w("| N | phase | terraform_data | noop plugin (plugin) | noop, connection schema (plugin) | authress (provider) | fake | authress ÷ terraform_data | authress ÷ noop plugin | authress ÷ noop, connection schema | peak RSS MiB: noop plugin / connection schema / authress |\n")
		w("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, n := range cfg.sizes {
			for _, phase := range resourcePhases {
				data := b.find("resources", kindData, n, phase)
				noop := b.find("resources", kindNoop, n, phase)
				shaped := b.find("resources", kindShaped, n, phase)
				auth := b.find("resources", kindAuthress, n, phase)
				cpu := func(s sample) float64 { return s.TotalCPUSeconds }
				prov := func(s sample) float64 { return s.ProviderCPUSeconds }
				rss := func(s sample) float64 { return float64(s.ProviderPeakRSSKiB) }
				w("| %d | %s | %s | %s (%s) | %s (%s) | %s (%s) | %s | %s | %s | %s | %s / %s / %s |\n", n, phase,
					num(medianOf(data, cpu), 2),
					num(medianOf(noop, cpu), 2), num(medianOf(noop, prov), 2),
					num(medianOf(shaped, cpu), 2), num(medianOf(shaped, prov), 2),
					num(medianOf(auth, cpu), 2), num(medianOf(auth, prov), 2),
					num(medianOf(auth, func(s sample) float64 { return s.FakeCPUSeconds }), 2),
					ratio(pairedRatio(auth, data, cpu)), ratio(pairedRatio(auth, noop, cpu)), ratio(pairedRatio(auth, shaped, cpu)),
					mib(medianOf(noop, rss)), mib(medianOf(shaped, rss)), mib(medianOf(auth, rss)))
			}
		}
		w("\n")

		w("## API traffic of the authress provider (zero latency)\n\n")
		w("Calls per resource by route, from the fake's counters (reset before each phase). Provider processes: how many Terraform started in the phase, and (in parentheses) how many made API calls. Connections: opened at the fake in the phase, and the most held by one provider process (target: at most parallelism + 1 = %d).\n\n", cfg.parallelism+1)
		w("| N | phase | calls per resource | expected | writes per resource | retries | faults | 401s | connections opened | provider processes | max connections in one process | peak RSS MiB | met |\n")
		w("|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n")
		for _, n := range cfg.sizes {
			for _, phase := range resourcePhases {
				auth := b.find("resources", kindAuthress, n, phase)
				if len(auth) == 0 {
					continue
				}
				row, ok, why := b.trafficRow(auth, n, phase)
				if !ok {
					missed = append(missed, fmt.Sprintf("API traffic, N=%d %s: %s", n, phase, why))
				}
				w("| %d | %s | %s | %s |\n", n, phase, row, yes(ok))
			}
		}
		w("\n")
	}

	if cfg.parts["list"] {
		w("## authress_connections over %d connections (page size %d)\n\n", cfg.listN, cfg.listPageSize)
		list := b.find("list", kindAuthress, cfg.listN, phaseList)
		pages := (cfg.listN + cfg.listPageSize - 1) / cfg.listPageSize
		calls := medianOf(list, func(s sample) float64 { return float64(s.Requests[routeList]) })
		readMs := medianOf(list, func(s sample) float64 {
			var total float64
			for _, d := range s.RPCDurationsMs {
				total += d
			}
			return total
		})
		cpu := medianOf(list, func(s sample) float64 { return s.ProviderCPUSeconds })
		rss := medianOf(list, func(s sample) float64 { return float64(s.ProviderPeakRSSKiB) })
		retries := medianOf(list, func(s sample) float64 { return float64(s.RetriesLogged) })
		ok := calls == float64(pages) && readMs < float64(listTimeTarget.Milliseconds()) && rss < listRSSTarget && retries == 0
		if !ok {
			missed = append(missed, fmt.Sprintf("list: %s calls for %d pages, ReadDataSource %s ms, peak RSS %s MiB", num(calls, 0), pages, num(readMs, 0), mib(rss)))
		}
		w("`terraform plan` of a configuration with one `data \"authress_connections\"`. Provider time is the framework's own measure of the ReadDataSource call (`tf_req_duration_ms`): every page fetched, decoded and converted to Terraform values. Provider CPU is the whole provider process's (start-up and schema included).\n\n")
		w("| calls (LIST) | pages | retries | connections opened | provider time ms (target < %d) | provider CPU s | peak RSS MiB (target < %d) | terraform plan wall s | met |\n", listTimeTarget.Milliseconds(), listRSSTarget>>10)
		w("|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n")
		w("| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n\n", num(calls, 0), pages, num(retries, 0),
			num(medianOf(list, func(s sample) float64 { return float64(s.ConnsOpened) }), 0),
			num(readMs, 0), num(cpu, 2), mib(rss), num(medianOf(list, wall), 2), yes(ok))
	}

	if cfg.parts["latency"] {
		n := cfg.latencyN
		w("## Latency-bound: N = %d with %s added to every API answer\n\n", n, cfg.latency)
		w("Ideal added time = round trips per resource × N × latency ÷ parallelism (a refresh before an update or a destroy is a second round trip). Added = wall time with latency minus wall time without, the two run back to back in each run. The audit below shows how many requests were in flight.\n\n")
		w("| phase | wall, no latency | wall, %s | added | round trips per resource | ideal added | added ÷ ideal (target ≤ %.1f) | calls per resource | met |\n", cfg.latency, latencyTarget)
		w("|---|---:|---:|---:|---:|---:|---:|---|:---:|\n")
		for _, phase := range resourcePhases {
			zero := b.find("resources", kindAuthress, n, phase)
			slow := b.find("latency", kindAuthress, n, phase)
			added := pairedDiff(slow, zero, wall)
			ideal := float64(criticalCalls[phase]*n) * cfg.latency.Seconds() / float64(cfg.parallelism)
			r := added / ideal
			ok := r <= latencyTarget
			if !ok {
				missed = append(missed, fmt.Sprintf("latency, %s: added %.2fs, ideal %.2fs (%s)", phase, added, ideal, ratio(r)))
			}
			calls, _ := callsPerResource(slow, n)
			w("| %s | %s | %s | %s | %d | %s | %s | %s | %s |\n", phase, num(medianOf(zero, wall), 2), num(medianOf(slow, wall), 2),
				num(added, 2), criticalCalls[phase], num(ideal, 2), ratio(r), calls, yes(ok))
		}
		w("\n")
	}

	if cfg.parts["audit"] {
		audit := b.find("audit", kindAuthress, cfg.latencyN, phaseCreate)
		if len(audit) > 0 {
			w("## Audit: N = %d once more, through a counting proxy, with %s latency and Terraform keeping the provider's INFO log\n\n", cfg.latencyN, cfg.latency)
			w("Bearer tokens: distinct Authorization values the proxy saw (a signed JWT is a new token; two signings in the same second with the same claims would look alike). Requests in flight: the most at once, and the mean over the span from the first request to the last answer.\n\n")
			w("| phase | requests | provider processes with API calls | distinct bearer tokens | connections to the proxy | max connections in one process | max in flight | mean in flight | retries in Terraform's log | retries seen by the wrapper | met |\n")
			w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n")
			for _, phase := range resourcePhases {
				for _, s := range b.find("audit", kindAuthress, cfg.latencyN, phase) {
					ok := s.BearerTokens <= max(s.ProviderAPIProcs, 1) && s.ProviderMaxAPIConns <= cfg.parallelism+1 &&
						s.ProxyConns <= (cfg.parallelism+1)*max(s.ProviderAPIProcs, 1) && s.RetriesInTFLog == 0 && s.RetriesLogged == 0
					if !ok {
						missed = append(missed, fmt.Sprintf("audit, %s: %d tokens for %d API processes, %d connections, %d retries", phase, s.BearerTokens, s.ProviderAPIProcs, s.ProxyConns, s.RetriesInTFLog))
					}
					w("| %s | %d | %d | %d | %d | %d | %d | %.1f | %d | %d | %s |\n", phase, s.ProxyRequests, s.ProviderAPIProcs, s.BearerTokens,
						s.ProxyConns, s.ProviderMaxAPIConns, s.MaxInFlight, s.MeanInFlight, s.RetriesInTFLog, s.RetriesLogged, yes(ok))
				}
			}
			w("\n")
		}
	}

	w("## Targets missed\n\n")
	if len(missed) == 0 {
		w("None.\n")
	}
	for _, m := range missed {
		w("- %s\n", m)
	}
	return sb.String(), missed
}

// trafficRow is the API traffic columns of one phase, whether they meet the
// targets, and why not.
func (b *bench) trafficRow(auth []sample, n int, phase string) (string, bool, string) {
	cfg := b.cfg
	calls, perRoute := callsPerResource(auth, n)
	writes := medianOf(auth, func(s sample) float64 { return float64(s.Writes) }) / float64(n)
	retries := medianOf(auth, func(s sample) float64 { return float64(s.RetriesLogged) })
	// Requests beyond one per expected operation are retries or extra calls.
	extra := medianOf(auth, func(s sample) float64 {
		total := 0
		for _, v := range s.Requests {
			total += v
		}
		want := 0
		for _, v := range expectedCalls[phase] {
			want += v * n
		}
		return float64(total - want)
	})
	faults := medianOf(auth, func(s sample) float64 { return float64(s.Faults) })
	unauthorized := medianOf(auth, func(s sample) float64 { return float64(s.Unauthorized) })
	conns := medianOf(auth, func(s sample) float64 { return float64(s.ConnsOpened) })
	procs := medianOf(auth, func(s sample) float64 { return float64(s.ProviderProcs) })
	apiProcs := medianOf(auth, func(s sample) float64 { return float64(s.ProviderAPIProcs) })
	maxConns := medianOf(auth, func(s sample) float64 { return float64(s.ProviderMaxAPIConns) })
	rss := medianOf(auth, func(s sample) float64 { return float64(s.ProviderPeakRSSKiB) })

	var why []string
	if !callsMatch(perRoute, expectedCalls[phase]) {
		why = append(why, "calls "+calls+", expected "+formatExpected(expectedCalls[phase]))
	}
	if writes != float64(expectedWrites[phase]) {
		why = append(why, fmt.Sprintf("%.2f writes per resource", writes))
	}
	if retries != 0 || extra != 0 {
		why = append(why, fmt.Sprintf("%.0f retries logged, %.0f requests beyond the expected", retries, extra))
	}
	if faults != 0 || unauthorized != 0 {
		why = append(why, fmt.Sprintf("%.0f faults, %.0f 401s", faults, unauthorized))
	}
	limit := float64(cfg.parallelism + 1)
	if maxConns > limit || conns > limit*max(apiProcs, 1) {
		why = append(why, fmt.Sprintf("%.0f connections (%.0f in one process)", conns, maxConns))
	}
	row := fmt.Sprintf("%s | %s | %s | %s | %s | %s | %s | %s (%s) | %s | %s", calls, formatExpected(expectedCalls[phase]),
		num(writes, 2), num(retries, 0), num(faults, 0), num(unauthorized, 0), num(conns, 0), num(procs, 0), num(apiProcs, 0),
		num(maxConns, 0), mib(rss))
	return row, len(why) == 0, strings.Join(why, "; ")
}

// writeReport prints the report and keeps it, with the raw samples, under
// .bench/.
func (b *bench) writeReport() error {
	text, missed := b.report()
	fmt.Print(text)
	stamp := b.started.UTC().Format("20060102-150405")
	md := filepath.Join(b.out, "results-"+stamp+".md")
	if err := os.WriteFile(md, []byte(text), 0o644); err != nil { //nolint:gosec // not secret
		return err
	}
	if err := os.WriteFile(filepath.Join(b.out, "latest.md"), []byte(text), 0o644); err != nil { //nolint:gosec // not secret
		return err
	}
	raw, err := json.MarshalIndent(struct {
		Machine machineInfo `json:"machine"`
		Runs    int         `json:"runs"`
		Samples []sample    `json:"samples"`
		Missed  []string    `json:"missed"`
	}{b.info, b.cfg.runs, b.samples, missed}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(b.out, "results-"+stamp+".json"), raw, 0o644); err != nil { //nolint:gosec // not secret
		return err
	}
	logf("results written to %s (and .bench/latest.md); %d target(s) missed; total %s", relPath(md), len(missed), time.Since(b.started).Round(time.Second))
	return nil
}
