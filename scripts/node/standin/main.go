// Command standin stands in for every container image of the real-node test (npm run test:node):
// no image can be pulled there, so each image name the manifests use is built from this one
// static binary and a plan (/standin.json) the harness derives from the container specs.
//
// What it does depends on how it is started:
//   - as PID 1 (a container's main process): looks up its own argv in the plan, then serves the
//     declared ports (mode "serve") or connects to what the plan says and exits (mode "complete",
//     for Jobs and init containers); with no ports it waits for SIGTERM (a worker);
//   - as an exec probe (any other name, e.g. pg_isready): succeeds when PID 1 accepts on its
//     first declared TCP port, as the real probe command would;
//   - `standin check` (through kubectl exec): tries the connections given as JSON on stdin and
//     prints one JSON result per line;
//   - `standin pack`: writes an OCI image layout tarball of itself (or another binary).
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	self := filepath.Base(os.Args[0])
	if self == "standin" && len(os.Args) > 1 {
		switch os.Args[1] {
		case "check":
			os.Exit(runChecks(os.Stdin, os.Stdout))
		case "pack":
			os.Exit(runPack(os.Args[2:]))
		}
	}
	plan, err := readPlan(planPath)
	if err != nil {
		fatal("reading the plan: %v", err)
	}
	if os.Getpid() != 1 {
		// An exec probe: the real command checks the main process; so do we.
		os.Exit(probeMain(plan))
	}
	entry, err := plan.entryFor(os.Args)
	if err != nil {
		fatal("%v", err)
	}
	os.Exit(runEntry(entry))
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "standin: "+format+"\n", args...)
	os.Exit(2)
}
