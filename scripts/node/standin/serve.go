package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Identity is what every server answers with, so a client can tell which pod and port it reached.
type Identity struct {
	Pod       string `json:"pod"`
	Container string `json:"container"`
	Port      int    `json:"port"`
	Path      string `json:"path,omitempty"`
	Host      string `json:"host,omitempty"`
}

func runEntry(e *Entry) int {
	for _, dir := range e.Writable {
		probe := filepath.Join(dir, ".standin-write-check")
		if err := os.WriteFile(probe, []byte("ok"), 0o600); err != nil {
			fmt.Fprintf(os.Stderr, "standin %s: %s is not writable: %v\n", e.Name, dir, err)
			return 3
		}
		os.Remove(probe)
	}
	if e.Mode == "complete" {
		return complete(e)
	}
	pod, _ := os.Hostname()
	for _, port := range e.TCP {
		ln, err := net.Listen("tcp", fmt.Sprintf(":%d", port))
		if err != nil {
			fmt.Fprintf(os.Stderr, "standin %s: listen tcp %d: %v\n", e.Name, port, err)
			return 3
		}
		go serveTCP(ln, Identity{Pod: pod, Container: e.Name, Port: port}, e.HTTPPaths)
	}
	for _, port := range e.UDP {
		conn, err := net.ListenPacket("udp", fmt.Sprintf(":%d", port))
		if err != nil {
			fmt.Fprintf(os.Stderr, "standin %s: listen udp %d: %v\n", e.Name, port, err)
			return 3
		}
		go serveUDP(conn, Identity{Pod: pod, Container: e.Name, Port: port})
	}
	fmt.Fprintf(os.Stderr, "standin %s: serving tcp %v udp %v\n", e.Name, e.TCP, e.UDP)
	waitForTermination()
	return 0
}

// complete connects to every address of the entry (each within a bounded number of tries), then exits.
func complete(e *Entry) int {
	for _, target := range e.Connect {
		addr := os.ExpandEnv(target)
		var err error
		for attempt := 0; attempt < 120; attempt++ {
			var conn net.Conn
			if conn, err = net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
				conn.Close()
				break
			}
			time.Sleep(time.Second)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "standin %s: cannot reach %s (%s): %v\n", e.Name, target, addr, err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "standin %s: reached %s (%s)\n", e.Name, target, addr)
	}
	return 0
}

func waitForTermination() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
}

// serveTCP answers HTTP/1.1, gRPC (h2c, grpc.health.v1) and raw TCP on one port, told apart by
// the first bytes the client sends.
func serveTCP(ln net.Listener, id Identity, paths []string) {
	grpcServer := grpc.NewServer()
	healthpb.RegisterHealthServer(grpcServer, health.NewServer()) // answers SERVING for ""
	grpcConns := newConnListener(ln.Addr())
	go grpcServer.Serve(grpcConns)
	httpConns := newConnListener(ln.Addr())
	go (&http.Server{Handler: httpHandler(id, paths), ReadHeaderTimeout: 5 * time.Second}).Serve(httpConns)
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			reader := bufio.NewReader(conn)
			conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			first, _ := reader.Peek(4)
			conn.SetReadDeadline(time.Time{})
			peeked := &peekedConn{Conn: conn, reader: reader}
			switch {
			case string(first) == "PRI ":
				grpcConns.conns <- peeked
			case isHTTPMethod(first):
				httpConns.conns <- peeked
			default: // raw TCP: say who we are, then hold the connection until the client closes it
				json.NewEncoder(conn).Encode(id)
				reader.WriteTo(discard{})
				conn.Close()
			}
		}()
	}
}

func httpHandler(id Identity, paths []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer := id
		answer.Path, answer.Host = r.URL.Path, r.Host
		if !servesPath(paths, r.URL.Path) {
			w.WriteHeader(http.StatusNotFound)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(answer)
	})
}

// servesPath: the declared health paths exactly, route prefixes by path segment, and /__standin for the harness.
func servesPath(paths []string, path string) bool {
	if path == "/__standin" {
		return true
	}
	for _, p := range paths {
		if path == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(path, p)) || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

func isHTTPMethod(b []byte) bool {
	for _, m := range []string{"GET ", "HEAD", "POST", "PUT ", "DELE", "OPTI", "PATC"} {
		if string(b) == m {
			return true
		}
	}
	return false
}

func serveUDP(conn net.PacketConn, id Identity) {
	answer, _ := json.Marshal(id)
	buf := make([]byte, 2048)
	for {
		_, from, err := conn.ReadFrom(buf)
		if err != nil {
			return
		}
		conn.WriteTo(answer, from)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// peekedConn replays the bytes read while telling protocols apart.
type peekedConn struct {
	net.Conn
	reader *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.reader.Read(p) }

// connListener hands connections accepted elsewhere to a server's Serve loop.
type connListener struct {
	addr  net.Addr
	conns chan net.Conn
	once  sync.Once
	done  chan struct{}
}

func newConnListener(addr net.Addr) *connListener {
	return &connListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *connListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, errors.New("closed")
	}
}

func (l *connListener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *connListener) Addr() net.Addr { return l.addr }

// probeMain is an exec probe's answer: the main process (PID 1) accepts on its first TCP port.
func probeMain(plan *Plan) int {
	raw, err := os.ReadFile("/proc/1/cmdline")
	if err != nil {
		fmt.Fprintf(os.Stderr, "standin probe: %v\n", err)
		return 1
	}
	argv := strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00")
	entry, err := plan.entryFor(argv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "standin probe: %v\n", err)
		return 1
	}
	if len(entry.TCP) == 0 {
		return 0 // a worker: running is all there is to check
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", entry.TCP[0]))
	if err != nil {
		fmt.Fprintf(os.Stderr, "standin probe: %v\n", err)
		return 1
	}
	conn.Close()
	return 0
}
