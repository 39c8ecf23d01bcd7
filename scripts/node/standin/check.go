package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Check is one connection attempt asked for by the harness. Host, Address and Port may hold
// ${VAR}, taken from the container's environment (dependency env vars are checked as they are).
type Check struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // dns, tcp, udp, http, https, grpc
	// Host is the name resolved (dns), or the HTTP Host header and TLS server name.
	Host string `json:"host,omitempty"`
	// Address is where to connect (name or IP); defaults to Host.
	Address string `json:"address,omitempty"`
	Port    string `json:"port,omitempty"`
	Path    string `json:"path,omitempty"`
	// TimeoutMs bounds the whole attempt; a policy that drops packets shows as a timeout.
	TimeoutMs int `json:"timeoutMs,omitempty"`
	// NoRedirects reports a redirect as the answer instead of following it.
	NoRedirects bool `json:"noRedirects,omitempty"`
	// DurationMs repeats the check every IntervalMs for this long (a service watched through a
	// rolling update): it succeeds only if every attempt does.
	DurationMs int `json:"durationMs,omitempty"`
	IntervalMs int `json:"intervalMs,omitempty"`
}

// Result says whether the attempt connected, and what answered.
type Result struct {
	ID       string    `json:"id"`
	OK       bool      `json:"ok"`
	Detail   string    `json:"detail"`
	Status   int       `json:"status,omitempty"`
	Location string    `json:"location,omitempty"`
	Identity *Identity `json:"identity,omitempty"`
}

// runChecks reads a JSON array of checks and runs them concurrently, at most 32 at a time.
func runChecks(in io.Reader, out io.Writer) int {
	var checks []Check
	if err := json.NewDecoder(in).Decode(&checks); err != nil {
		fmt.Fprintf(os.Stderr, "standin check: %v\n", err)
		return 2
	}
	results := make([]Result, len(checks))
	slots := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for i := range checks {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			results[i] = runRepeated(checks[i])
		}(i)
	}
	wg.Wait()
	encoder := json.NewEncoder(out)
	for _, r := range results {
		encoder.Encode(r)
	}
	return 0
}

// runRepeated runs a check once, or for DurationMs, counting the attempts that failed.
func runRepeated(c Check) Result {
	if c.DurationMs <= 0 {
		return runCheck(c)
	}
	interval := time.Duration(max(c.IntervalMs, 10)) * time.Millisecond
	end := time.Now().Add(time.Duration(c.DurationMs) * time.Millisecond)
	attempts, failed, firstFailure := 0, 0, ""
	for time.Now().Before(end) {
		attempts++
		if r := runCheck(c); !r.OK {
			failed++
			if firstFailure == "" {
				firstFailure = r.Detail
			}
		}
		time.Sleep(interval)
	}
	detail := fmt.Sprintf("%d attempts, %d failed", attempts, failed)
	if firstFailure != "" {
		detail += "; first failure: " + firstFailure
	}
	return Result{ID: c.ID, OK: failed == 0 && attempts > 0, Detail: detail}
}

func runCheck(c Check) Result {
	timeout := time.Duration(c.TimeoutMs) * time.Millisecond
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	host, address, port := os.ExpandEnv(c.Host), os.ExpandEnv(c.Address), os.ExpandEnv(c.Port)
	if address == "" {
		address = host
	}
	result := Result{ID: c.ID}
	fail := func(err error) Result { result.Detail = err.Error(); return result }
	if _, err := strconv.Atoi(port); err != nil && c.Kind != "dns" {
		return fail(fmt.Errorf("port %q (from %q) is not a number", port, c.Port))
	}
	target := net.JoinHostPort(address, port)
	switch c.Kind {
	case "dns":
		addrs, err := net.DefaultResolver.LookupHost(ctx, host)
		if err != nil {
			return fail(err)
		}
		result.OK, result.Detail = true, fmt.Sprint(addrs)
	case "tcp":
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", target)
		if err != nil {
			return fail(err)
		}
		defer conn.Close()
		result.OK, result.Detail = true, "connected to "+conn.RemoteAddr().String()
		conn.SetDeadline(time.Now().Add(time.Second))
		fmt.Fprint(conn, "WHO\n")
		if line, err := bufio.NewReader(conn).ReadBytes('\n'); err == nil {
			var id Identity
			if json.Unmarshal(line, &id) == nil {
				result.Identity = &id
			}
		}
	case "udp":
		conn, err := (&net.Dialer{}).DialContext(ctx, "udp", target)
		if err != nil {
			return fail(err)
		}
		defer conn.Close()
		deadline, _ := ctx.Deadline()
		conn.SetDeadline(deadline)
		fmt.Fprint(conn, "WHO")
		buf := make([]byte, 2048)
		n, err := conn.Read(buf)
		if err != nil {
			return fail(err)
		}
		var id Identity
		json.Unmarshal(buf[:n], &id)
		result.OK, result.Detail, result.Identity = true, "answered", &id
	case "http", "https":
		client := &http.Client{Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, target)
			},
			TLSClientConfig: &tls.Config{ServerName: host, InsecureSkipVerify: true}, // the test's own self-signed certificate
		}}
		if c.NoRedirects {
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s://%s%s", c.Kind, target, c.Path), nil)
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			return fail(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64*1024))
		var id Identity
		if json.Unmarshal(body, &id) == nil && id.Pod != "" {
			result.Identity = &id
		}
		result.OK, result.Status, result.Location = true, resp.StatusCode, resp.Header.Get("Location")
		result.Detail = resp.Status
	case "grpc":
		options := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
		if host != address {
			options = append(options, grpc.WithAuthority(host)) // a route matches on the authority
		}
		conn, err := grpc.NewClient(target, options...)
		if err != nil {
			return fail(err)
		}
		defer conn.Close()
		answer, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{}, grpc.WaitForReady(true))
		if err != nil {
			return fail(err)
		}
		result.OK, result.Detail = answer.Status == healthpb.HealthCheckResponse_SERVING, answer.Status.String()
	default:
		return fail(fmt.Errorf("unknown check kind %q", c.Kind))
	}
	return result
}
