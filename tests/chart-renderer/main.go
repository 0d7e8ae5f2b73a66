// Command chart-renderer renders a Helm chart the way `helm template` does, for the chart tests: no helm binary can
// be installed on the development machines, but Go's text/template and sprig (the function library Helm uses) are
// Debian packages. It is a test tool, never shipped. It supports what helm/whetstone uses: values.yaml merged with
// -f files, values.schema.json validation, kubeVersion, .Release/.Chart/.Capabilities/.Files/.Template, include,
// tpl, required, fail, toYaml/fromYaml/fromYamlArray/toJson/fromJson/fromJsonArray and lookup (always empty, as in
// `helm template`).
//
// Build (offline, GOPATH mode): GO111MODULE=off GOPATH=/usr/share/gocode go build -o chart-renderer .
// Use: chart-renderer -chart helm/whetstone [-f values.yaml]... [-namespace ns] [-release name]
//
//	[-kube-version 1.32.0] [-api-versions monitoring.coreos.com/v1,...] [-notes notes.txt]
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

func main() {
	var files valueFiles
	chartDir := flag.String("chart", "", "the chart folder")
	release := flag.String("release", "whetstone", "the release name")
	namespace := flag.String("namespace", "default", "the release namespace")
	kubeVersion := flag.String("kube-version", "1.32.0", "the Kubernetes version .Capabilities reports")
	apiVersions := flag.String("api-versions", "", "extra API versions .Capabilities.APIVersions has, comma-separated")
	notes := flag.String("notes", "", "write the rendered NOTES.txt here")
	flag.Var(&files, "f", "a values file (repeatable; later files win)")
	flag.Parse()
	if *chartDir == "" {
		fail("-chart is required")
	}

	chart, err := loadChart(*chartDir)
	if err != nil {
		fail(err.Error())
	}
	if err := checkKubeVersion(chart.Metadata, *kubeVersion); err != nil {
		fail(err.Error())
	}
	values, err := loadValues(*chartDir, files)
	if err != nil {
		fail(err.Error())
	}
	if err := validateValues(*chartDir, values); err != nil {
		fail(err.Error())
	}

	capabilities, err := newCapabilities(*kubeVersion, *apiVersions)
	if err != nil {
		fail(err.Error())
	}
	top := map[string]interface{}{
		"Values":       values,
		"Chart":        chart.Metadata,
		"Release":      map[string]interface{}{"Name": *release, "Namespace": *namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Capabilities": capabilities,
		"Files":        chart.Files,
	}
	manifests, notesText, err := render(chart, top)
	if err != nil {
		fail(err.Error())
	}
	fmt.Print(manifests)
	if *notes != "" {
		if err := os.WriteFile(*notes, []byte(notesText), 0o644); err != nil {
			fail(err.Error())
		}
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "Error: "+message)
	os.Exit(1)
}
