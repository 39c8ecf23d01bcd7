package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

const planPath = "/standin.json"

// Plan is what the harness derived from every container spec that uses one image name.
type Plan struct {
	Image   string  `json:"image"`
	Entries []Entry `json:"entries"`
}

// Entry is one container spec: the argv it starts with and what it must do.
type Entry struct {
	// Name identifies the container in answers: "<workload>/<container>".
	Name string   `json:"name"`
	Argv []string `json:"argv"`
	// Mode is "serve" (main containers and sidecars) or "complete" (Jobs, init containers).
	Mode      string   `json:"mode"`
	TCP       []int    `json:"tcp,omitempty"`
	UDP       []int    `json:"udp,omitempty"`
	HTTPPaths []string `json:"httpPaths,omitempty"`
	// Writable paths must accept a file before the container serves: read-only root
	// filesystems and their emptyDir mounts are exercised for real.
	Writable []string `json:"writable,omitempty"`
	// Connect lists "host:port" (with ${VAR} taken from the container's env) that a
	// "complete" entry must reach before it exits 0.
	Connect []string `json:"connect,omitempty"`
}

func readPlan(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var plan Plan
	if err := json.Unmarshal(data, &plan); err != nil {
		return nil, err
	}
	return &plan, nil
}

// entryFor finds the container spec started with argv.
func (p *Plan) entryFor(argv []string) (*Entry, error) {
	var found []*Entry
	for i := range p.Entries {
		if strings.Join(p.Entries[i].Argv, "\x00") == strings.Join(argv, "\x00") {
			found = append(found, &p.Entries[i])
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("image %s: %d plan entries for argv %q (want 1)", p.Image, len(found), argv)
	}
	return found[0], nil
}
