package schema_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/internal/testenv"
	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
)

// TestEveryTestdataConfigWithCheckJSONSchema validates every config.json in testdata with
// check-jsonschema (PyPI; a third-party validator, given only schema/config.schema.json
// as a file, the way SchemaStore users get it) and requires the same verdict as ours:
// valid, or not (a JSON syntax error or a schema error). Duplicate keys are a warning
// for us and legal JSON for Python, so they do not count. One difference is known and
// kept: a string "version" above 2.0 is caught by the schema's custom format
// "chalice-version", which JSON Schema 2020-12 treats as an annotation, so other tools
// accept it (README, "Use the schema anywhere").
func TestEveryTestdataConfigWithCheckJSONSchema(t *testing.T) {
	root := testenv.RepoRoot(t)
	tool := filepath.Join(root, ".tools", "release", "bin", "check-jsonschema")
	if _, err := os.Stat(tool); err != nil {
		t.Fatalf("check-jsonschema is missing (%v); run `scripts/setup.sh release` (make test does)", err)
	}
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "testdata"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "cdk.out") {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, p)
		if !d.IsDir() && (strings.HasSuffix(rel, "/.chalice/config.json") ||
			filepath.Dir(rel) == filepath.Join("testdata", "configs") && strings.HasSuffix(rel, ".json")) {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) < 20 {
		t.Fatalf("found only %d configs in testdata", len(files))
	}
	cmd := exec.Command(tool, append([]string{"--schemafile", filepath.Join("schema", "config.schema.json"), "-o", "json"}, files...)...)
	cmd.Dir = root
	out, err := cmd.Output()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	var res struct {
		Status string `json:"status"`
		Errors []struct {
			Filename string `json:"filename"`
			Path     string `json:"path"`
			Message  string `json:"message"`
		} `json:"errors"`
		ParseErrors []struct {
			Filename string `json:"filename"`
			Message  string `json:"message"`
		} `json:"parse_errors"`
	}
	if err := json.Unmarshal(out, &res); err != nil || res.Status == "" {
		t.Fatalf("check-jsonschema printed no result (%v): %s", err, out)
	}
	theirs := map[string][]string{}
	for _, e := range res.Errors {
		theirs[e.Filename] = append(theirs[e.Filename], e.Path+": "+e.Message)
	}
	for _, e := range res.ParseErrors {
		theirs[e.Filename] = append(theirs[e.Filename], "parse error: "+e.Message)
	}
	invalid := 0
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		_, ds := schema.CheckConfig(src)
		ours := diag.HasErrors(ds)
		if ours {
			invalid++
		}
		if ours && len(theirs[f]) == 0 && onlyVersionFormat(ds) {
			t.Logf("%s: only the chalice-version format (which other validators ignore) fails", f)
			ours = false
		}
		if ours != (len(theirs[f]) > 0) {
			t.Errorf("%s: ours invalid=%v, check-jsonschema: %q; ours: %s", f, ours, theirs[f], dump(string(src), ds))
		}
	}
	t.Logf("%d configs, %d invalid, same verdicts as check-jsonschema", len(files), invalid)
	if invalid == 0 || invalid == len(files) {
		t.Fatalf("want both valid and invalid configs among the fixtures, got %d of %d invalid", invalid, len(files))
	}
}

// onlyVersionFormat reports whether every error is about the value of "version" (the
// custom format's range check).
func onlyVersionFormat(ds []diag.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == diag.Error && !strings.HasPrefix(d.Message, "version must be") {
			return false
		}
	}
	return true
}

// TestSchemaStoreCatalogEntry: the entry ready for SchemaStore's catalog.json names the
// schema by its own $id and matches where Chalice keeps the file.
func TestSchemaStoreCatalogEntry(t *testing.T) {
	root := testenv.RepoRoot(t)
	var entry struct {
		Name, Description, URL string
		FileMatch              []string
	}
	b, err := os.ReadFile(filepath.Join(root, "schema", "schemastore", "catalog-entry.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &entry); err != nil {
		t.Fatal(err)
	}
	var s struct {
		ID string `json:"$id"`
	}
	b, err = os.ReadFile(filepath.Join(root, "schema", "config.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if entry.URL != s.ID || entry.Name == "" || entry.Description == "" {
		t.Errorf("catalog entry %+v: url must be the schema's $id %q, with a name and description", entry, s.ID)
	}
	if len(entry.FileMatch) != 1 || entry.FileMatch[0] != "**/.chalice/config.json" {
		t.Errorf("fileMatch %q, want [**/.chalice/config.json]", entry.FileMatch)
	}
}
