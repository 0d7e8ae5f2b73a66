package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/Masterminds/semver"
	"github.com/xeipuuv/gojsonschema"
	"gopkg.in/yaml.v3"
)

// chart is a chart folder read into memory: its metadata, templates and other files.
type chart struct {
	Metadata  map[string]interface{}
	Templates map[string]string
	Files     files
}

// files is .Files: every file of the chart outside templates/, by slash path.
type files map[string]string

// Get returns a file's text, or "" when there is none (as Helm does).
func (f files) Get(name string) string { return f[name] }

// Glob returns the files whose path matches the pattern, as a files value (range over it for path and text).
func (f files) Glob(pattern string) files {
	matched := files{}
	for name, text := range f {
		if ok, _ := path.Match(pattern, name); ok {
			matched[name] = text
		}
	}
	return matched
}

func loadChart(dir string) (*chart, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	var meta map[string]interface{}
	if err := yaml.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("Chart.yaml: %w", err)
	}
	// Helm exposes Chart.yaml's fields capitalized (.Chart.Name, .Chart.AppVersion).
	metadata := map[string]interface{}{}
	for key, value := range meta {
		metadata[strings.ToUpper(key[:1])+key[1:]] = value
	}
	c := &chart{Metadata: metadata, Templates: map[string]string{}, Files: files{}}
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "templates/") {
			c.Templates[rel] = string(text)
		} else {
			c.Files[rel] = string(text)
		}
		return nil
	})
	return c, err
}

func checkKubeVersion(meta map[string]interface{}, kubeVersion string) error {
	constraint, _ := meta["KubeVersion"].(string)
	if constraint == "" {
		return nil
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return fmt.Errorf("Chart.yaml kubeVersion %q: %w", constraint, err)
	}
	v, err := semver.NewVersion(kubeVersion)
	if err != nil {
		return err
	}
	if !c.Check(v) {
		return fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes v%s", constraint, kubeVersion)
	}
	return nil
}

// loadValues reads values.yaml and merges each -f file over it; numbers become float64, as in Helm (which reads YAML
// through JSON).
func loadValues(dir string, overrides []string) (map[string]interface{}, error) {
	values, err := readYAMLFile(filepath.Join(dir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	for _, f := range overrides {
		over, err := readYAMLFile(f)
		if err != nil {
			return nil, err
		}
		values = mergeValues(values, over)
	}
	return values, nil
}

func readYAMLFile(name string) (map[string]interface{}, error) {
	raw, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var parsed interface{}
	if err := yaml.Unmarshal(raw, &parsed); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if parsed == nil {
		return map[string]interface{}{}, nil
	}
	asJSON, err := json.Marshal(parsed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	values := map[string]interface{}{}
	if err := json.Unmarshal(asJSON, &values); err != nil {
		return nil, fmt.Errorf("%s: not a map: %w", name, err)
	}
	return values, nil
}

// mergeValues merges src over dst: maps merge key by key, anything else replaces, and null deletes a key.
func mergeValues(dst, src map[string]interface{}) map[string]interface{} {
	for key, value := range src {
		if value == nil {
			delete(dst, key)
			continue
		}
		if srcMap, ok := value.(map[string]interface{}); ok {
			if dstMap, ok := dst[key].(map[string]interface{}); ok {
				dst[key] = mergeValues(dstMap, srcMap)
				continue
			}
		}
		dst[key] = value
	}
	return dst
}

// validateValues checks the merged values against values.schema.json, as helm install does.
func validateValues(dir string, values map[string]interface{}) error {
	schema, err := os.ReadFile(filepath.Join(dir, "values.schema.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewGoLoader(values))
	if err != nil {
		return fmt.Errorf("values.schema.json: %w", err)
	}
	if result.Valid() {
		return nil
	}
	problems := []string{}
	for _, e := range result.Errors() {
		problems = append(problems, "- "+e.String())
	}
	sort.Strings(problems)
	return fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\nwhetstone:\n%s", strings.Join(problems, "\n"))
}
