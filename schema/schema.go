// Package schema holds the JSON Schema for AWS Chalice's .chalice/config.json and checks
// documents against it with exact, human diagnostics.
//
// Chalice itself never validates its config file (it ignores unknown keys and packages
// "lambda_memory_size": "big" as is), so the schema here is written from
// chalice/config.py: every key is allowed exactly at the levels where Chalice reads it
// (top level, stages.<stage>, lambda_functions.<fn>, stages.<stage>.lambda_functions.<fn>).
//
// The schema files (config.schema.json, and stage-config.schema.json, which points into
// the first) are the single source of truth. They are embedded and read into a small
// model that drives validation, messages, completion and hover (KeysAt, KeyAt,
// ValueSchemaAt), and they are plain draft 2020-12 files other tools can use as they
// are. The tests hold Validate to github.com/santhosh-tekuri/jsonschema/v5 (identical
// diagnostics on fixtures, thousands of generated documents and fuzz inputs) and check
// the files with Python's jsonschema too.
//
// Everything here is safe for concurrent use.
package schema

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
)

// Kind selects the document a tree is checked as.
type Kind int

const (
	// ConfigFile is a whole .chalice/config.json.
	ConfigFile Kind = iota
	// StageConfig is one stage: the value of stages.<stage>, which is also what the
	// stage_config argument of a CDK Chalice construct holds.
	StageConfig
)

// String names the kind for messages.
func (k Kind) String() string {
	if k == StageConfig {
		return "stage config"
	}
	return "config file"
}

const (
	configFileName = "config.schema.json"
	stageFileName  = "stage-config.schema.json"
	// baseURL is where the files are published: the $id of each file.
	baseURL = "https://chalice-lsp.github.io/schemas/"
)

//go:embed config.schema.json
var configSchema []byte

//go:embed stage-config.schema.json
var stageSchema []byte

// ConfigSchemaJSON returns the JSON Schema of .chalice/config.json (draft 2020-12).
// The caller must not modify the slice.
func ConfigSchemaJSON() []byte { return configSchema }

// StageConfigSchemaJSON returns the JSON Schema of a stage config. It refers to
// config.schema.json by relative URL, so keep both files side by side.
func StageConfigSchemaJSON() []byte { return stageSchema }

// compiled holds everything derived from the schema files, built once.
type compiled struct {
	models [2]*node
	levels map[string]*node // "" (root), "stage", "top_function", "stage_function", "custom_domain"
	err    error
}

var (
	once  sync.Once
	state compiled
)

func get() *compiled {
	once.Do(func() { state = build() })
	return &state
}

func build() compiled {
	var c compiled
	docs := map[string][]byte{configFileName: configSchema, stageFileName: stageSchema}
	for kind, name := range []string{configFileName, stageFileName} {
		m, err := loadModel(docs, name)
		if err != nil {
			c.err = err
			return c
		}
		c.models[kind] = m
	}
	root := c.models[ConfigFile]
	stage := root.props["stages"].additional
	c.levels = map[string]*node{
		"":               root,
		"stage":          stage,
		"top_function":   root.props["lambda_functions"].additional,
		"stage_function": stage.props["lambda_functions"].additional,
		"custom_domain":  root.props["api_gateway_custom_domain"],
	}
	return c
}

// isChaliceVersion accepts what Chalice's _validate_config_from_disk accepts: a value
// float() can read that is not above 2.0. Numbers are checked by "maximum" and
// unparsable strings by "pattern", so this only compares parsable strings.
func isChaliceVersion(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err != nil || f <= 2.0
}
