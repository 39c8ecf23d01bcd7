package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path"
	"strings"
	"time"
)

// repeated collects a flag given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// runPack writes an OCI image layout tarball that `ctr images import` takes without a registry:
// one layer with the binary (and the plan), named by the io.containerd.image.name annotation.
func runPack(args []string) int {
	flags := flag.NewFlagSet("pack", flag.ContinueOnError)
	out := flags.String("out", "", "tarball to write")
	name := flags.String("name", "", "full image name, e.g. docker.io/library/postgres:16.4-alpine")
	planFile := flags.String("plan", "", "plan to bake in as /standin.json")
	binary := flags.String("binary", "", "program to package (default: this one)")
	entrypoint := flags.String("entrypoint", "/standin", "where the program goes, and the image's entrypoint")
	user := flags.String("user", "65532:65532", "the image's numeric user")
	var links repeated
	flags.Var(&links, "link", "another path (absolute, or a name found through PATH) for the program; repeatable")
	if err := flags.Parse(args); err != nil || *out == "" || *name == "" {
		fmt.Fprintln(os.Stderr, "usage: standin pack --out FILE --name IMAGE [--plan FILE] [--binary FILE] [--entrypoint PATH] [--user UID:GID] [--link PATH]...")
		return 2
	}
	if *binary == "" {
		self, err := os.Executable()
		if err != nil {
			return packFailed(err)
		}
		*binary = self
	}
	program, err := os.ReadFile(*binary)
	if err != nil {
		return packFailed(err)
	}
	var plan []byte
	if *planFile != "" {
		if plan, err = os.ReadFile(*planFile); err != nil {
			return packFailed(err)
		}
	}
	layer, diffID, err := buildLayer(program, *entrypoint, links, plan)
	if err != nil {
		return packFailed(err)
	}
	config := mustJSON(map[string]any{
		"architecture": "amd64", "os": "linux",
		"config": map[string]any{
			"User": *user, "Entrypoint": []string{*entrypoint}, "WorkingDir": "/",
			"Env": []string{"PATH=/usr/local/bin:/usr/bin:/bin"},
		},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{diffID}},
	})
	manifest := mustJSON(map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		"config": descriptor("application/vnd.oci.image.config.v1+json", config, nil),
		"layers": []any{descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer, nil)},
	})
	index := mustJSON(map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
		"manifests": []any{descriptor("application/vnd.oci.image.manifest.v1+json", manifest, map[string]string{
			"io.containerd.image.name": *name, "org.opencontainers.image.ref.name": *name,
		})},
	})
	var tarball bytes.Buffer
	w := tar.NewWriter(&tarball)
	files := []struct {
		name string
		data []byte
	}{
		{"oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`)}, {"index.json", index},
		{blobPath(config), config}, {blobPath(manifest), manifest}, {blobPath(layer), layer},
	}
	for _, f := range files {
		if err := writeFile(w, f.name, f.data, 0o644); err != nil {
			return packFailed(err)
		}
	}
	if err := w.Close(); err != nil {
		return packFailed(err)
	}
	if err := os.WriteFile(*out, tarball.Bytes(), 0o644); err != nil {
		return packFailed(err)
	}
	return 0
}

// buildLayer returns the gzipped layer and the digest of its uncompressed tar (the diff ID).
func buildLayer(program []byte, entrypoint string, links []string, plan []byte) ([]byte, string, error) {
	var raw bytes.Buffer
	w := tar.NewWriter(&raw)
	for _, dir := range []string{"etc/", "usr/", "usr/local/", "usr/local/bin/", "var/", "run/"} {
		if err := w.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir, Mode: 0o755, ModTime: epoch}); err != nil {
			return nil, "", err
		}
	}
	if err := w.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: "tmp/", Mode: 0o1777, ModTime: epoch}); err != nil {
		return nil, "", err
	}
	main := strings.TrimPrefix(entrypoint, "/")
	made := map[string]bool{"etc": true, "usr": true, "usr/local": true, "usr/local/bin": true, "var": true, "run": true, "tmp": true}
	if err := writeParents(w, main, made); err != nil {
		return nil, "", err
	}
	if err := writeFile(w, main, program, 0o755); err != nil {
		return nil, "", err
	}
	for _, link := range links {
		target := strings.TrimPrefix(link, "/")
		if !strings.HasPrefix(link, "/") {
			target = "usr/local/bin/" + link
		}
		if target == main {
			continue
		}
		if err := writeParents(w, target, made); err != nil {
			return nil, "", err
		}
		if err := w.WriteHeader(&tar.Header{Typeflag: tar.TypeLink, Name: target, Linkname: main, Mode: 0o755, ModTime: epoch}); err != nil {
			return nil, "", err
		}
	}
	if plan != nil {
		if err := writeFile(w, strings.TrimPrefix(planPath, "/"), plan, 0o644); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	var zipped bytes.Buffer
	gz := gzip.NewWriter(&zipped)
	gz.Write(raw.Bytes())
	if err := gz.Close(); err != nil {
		return nil, "", err
	}
	return zipped.Bytes(), digest(raw.Bytes()), nil
}

// writeParents writes the directories above file that are not in the layer yet.
func writeParents(w *tar.Writer, file string, made map[string]bool) error {
	var parents []string
	for dir := path.Dir(file); dir != "." && !made[dir]; dir = path.Dir(dir) {
		parents = append([]string{dir}, parents...)
	}
	for _, dir := range parents {
		made[dir] = true
		if err := w.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755, ModTime: epoch}); err != nil {
			return err
		}
	}
	return nil
}

// epoch keeps layers byte-identical between builds.
var epoch = time.Unix(0, 0)

func writeFile(w *tar.Writer, name string, data []byte, mode int64) error {
	if err := w.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data)), ModTime: epoch}); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

func digest(data []byte) string { return fmt.Sprintf("sha256:%x", sha256.Sum256(data)) }

func blobPath(data []byte) string {
	return "blobs/sha256/" + strings.TrimPrefix(digest(data), "sha256:")
}

func descriptor(mediaType string, data []byte, annotations map[string]string) map[string]any {
	d := map[string]any{"mediaType": mediaType, "digest": digest(data), "size": len(data)}
	if annotations != nil {
		d["annotations"] = annotations
	}
	return d
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return data
}

func packFailed(err error) int {
	fmt.Fprintf(os.Stderr, "standin pack: %v\n", err)
	return 1
}
