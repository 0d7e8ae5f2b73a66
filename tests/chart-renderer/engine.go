package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/semver"
	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

// kubeVersion is .Capabilities.KubeVersion.
type kubeVersion struct {
	Version    string
	Major      string
	Minor      string
	GitVersion string
}

// String prints the version as Helm does (v1.32.0).
func (k kubeVersion) String() string { return k.Version }

// apiVersions is .Capabilities.APIVersions.
type apiVersions []string

// Has reports whether a group/version (or group/version/Kind) is served.
func (a apiVersions) Has(version string) bool {
	for _, v := range a {
		if v == version {
			return true
		}
	}
	return false
}

// capabilities is .Capabilities.
type capabilities struct {
	KubeVersion kubeVersion
	APIVersions apiVersions
}

// The built-in group/versions every supported cluster serves; -api-versions adds CRD-provided ones.
var builtInAPIVersions = []string{
	"v1", "apps/v1", "batch/v1", "policy/v1", "rbac.authorization.k8s.io/v1", "coordination.k8s.io/v1",
	"apiextensions.k8s.io/v1", "networking.k8s.io/v1", "autoscaling/v2", "events.k8s.io/v1", "storage.k8s.io/v1",
}

func newCapabilities(version, extra string) (*capabilities, error) {
	v, err := semver.NewVersion(version)
	if err != nil {
		return nil, err
	}
	versions := append(apiVersions{}, builtInAPIVersions...)
	for _, e := range strings.Split(extra, ",") {
		if e = strings.TrimSpace(e); e != "" {
			versions = append(versions, e)
		}
	}
	return &capabilities{
		KubeVersion: kubeVersion{Version: "v" + v.String(), Major: fmt.Sprint(v.Major()), Minor: fmt.Sprint(v.Minor()), GitVersion: "v" + v.String()},
		APIVersions: versions,
	}, nil
}

const maxIncludeDepth = 100

// render parses every template into one set (partials included) and renders each non-partial file in name order,
// as helm template does; NOTES.txt is rendered apart.
func render(c *chart, top map[string]interface{}) (string, string, error) {
	t := template.New("chart")
	depth := 0
	funcs := functions(t, top, &depth)
	t.Funcs(funcs).Option("missingkey=zero")
	names := make([]string, 0, len(c.Templates))
	for name := range c.Templates {
		names = append(names, name)
	}
	sort.Strings(names)
	chartName := fmt.Sprint(top["Chart"].(map[string]interface{})["Name"])
	for _, name := range names {
		if _, err := t.New(chartName + "/" + name).Parse(c.Templates[name]); err != nil {
			return "", "", err
		}
	}

	var out strings.Builder
	notes := ""
	for _, name := range names {
		base := name[strings.LastIndex(name, "/")+1:]
		if strings.HasPrefix(base, "_") {
			continue
		}
		full := chartName + "/" + name
		scope := withTemplate(top, full)
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, full, scope); err != nil {
			return "", "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if base == "NOTES.txt" {
			notes = text
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", full, strings.TrimSpace(text))
	}
	return out.String(), notes, nil
}

func withTemplate(top map[string]interface{}, name string) map[string]interface{} {
	scope := map[string]interface{}{}
	for k, v := range top {
		scope[k] = v
	}
	scope["Template"] = map[string]interface{}{"Name": name, "BasePath": name[:strings.Index(name, "/")] + "/templates"}
	return scope
}

// functions is sprig's text function map (without env access) plus Helm's own functions.
func functions(t *template.Template, top map[string]interface{}, depth *int) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = toYAML
	f["fromYaml"] = fromYAML
	f["fromYamlArray"] = fromYAMLArray
	f["toJson"] = toJSON
	f["fromJson"] = fromJSON
	f["fromJsonArray"] = fromJSONArray
	f["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return nil, errors.New(message)
		}
		if s, ok := value.(string); ok && s == "" {
			return nil, errors.New(message)
		}
		return value, nil
	}
	f["lookup"] = func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	f["include"] = func(name string, data interface{}) (string, error) {
		if *depth > maxIncludeDepth {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		*depth++
		defer func() { *depth-- }()
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := parsed.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	return f
}

// toYAML marshals with two-space indentation and no trailing newline, like Helm's toYaml.
func toYAML(v interface{}) string {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(normalize(v)); err != nil {
		return ""
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// normalize turns values into plain maps, lists and scalars through JSON, so numbers print as Helm prints them.
func normalize(v interface{}) interface{} {
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out interface{}
	if err := json.Unmarshal(raw, &out); err != nil {
		return v
	}
	return out
}

func fromYAML(text string) map[string]interface{} {
	var parsed interface{}
	if err := yaml.Unmarshal([]byte(text), &parsed); err != nil {
		return map[string]interface{}{"Error": err.Error()}
	}
	m, ok := normalize(parsed).(map[string]interface{})
	if !ok {
		return map[string]interface{}{}
	}
	return m
}

func fromYAMLArray(text string) []interface{} {
	var parsed interface{}
	if err := yaml.Unmarshal([]byte(text), &parsed); err != nil {
		return []interface{}{err.Error()}
	}
	a, _ := normalize(parsed).([]interface{})
	return a
}

func toJSON(v interface{}) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(raw)
}

func fromJSON(text string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(text string) []interface{} {
	a := []interface{}{}
	if err := json.Unmarshal([]byte(text), &a); err != nil {
		return []interface{}{err.Error()}
	}
	return a
}
