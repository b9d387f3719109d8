package packager

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

const packageUsage = `usage: chalice-lsp package [flags] PROJECT_DIR

Runs the real ` + "`chalice package`" + ` for PROJECT_DIR with the stage config applied to a
private copy of .chalice/config.json (the project is never written), and prints the
resources of the SAM template. Results are cached: unchanged inputs do not run chalice.

flags:
  --stage NAME             Chalice stage (default "dev")
  --stage-config JSON|@FILE
                           JSON object applied as --stage-config-mode says
  --stage-config-mode merge|replace|user-params
                           how the stage config is applied, as each CDK construct
                           does: merge = deep-merged into stages.<stage>
                           (chalice-lsp's construct; the default), replace =
                           written as stages.<stage> (cdk-chalice), user-params =
                           Chalice's user params (chalice.cdk.Chalice: beats the
                           stage and top level but not stages.<stage>.lambda_functions,
                           and its own lambda_functions are ignored)
  --out DIR                copy sam.json and the zips into DIR
  --format text|json       output format (default text)
  --print-template         print the merged SAM template (sam.json) instead of a summary
  --python PATH            interpreter or virtualenv to run chalice with (default: detect)
  --container              package inside docker (default image ` + DefaultImagePrefix + `<X.Y>)
  --image IMAGE            container image for --container
  --timeout DURATION       stop chalice after this long (default 2m0s)
  --cache-dir DIR          cache directory (default: the user cache dir)
`

// packageJSON is the --format json output.
type packageJSON struct {
	Stage        string         `json:"stage"`
	TemplatePath string         `json:"templatePath"`
	Resources    []resourceJSON `json:"resources"`
	Cached       bool           `json:"cached"`
	DurationMs   int64          `json:"durationMs"`
	Fixups       []string       `json:"fixups,omitempty"`
}

type resourceJSON struct {
	LogicalID string `json:"logicalId"`
	Type      string `json:"type"`
}

// RunPackageCommand implements `chalice-lsp package`. args exclude the command name.
// It returns the process exit code: 0 on success, 1 when packaging fails, 2 on a
// usage error.
func RunPackageCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("package", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	stage := fs.String("stage", DefaultStage, "")
	stageConfig := fs.String("stage-config", "", "")
	stageConfigMode := fs.String("stage-config-mode", "merge", "")
	out := fs.String("out", "", "")
	format := fs.String("format", "text", "")
	printTemplate := fs.Bool("print-template", false, "")
	python := fs.String("python", "", "")
	container := fs.Bool("container", false, "")
	image := fs.String("image", "", "")
	timeout := fs.Duration("timeout", DefaultTimeout, "")
	cacheDir := fs.String("cache-dir", "", "")

	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "chalice-lsp package: "+format+"\n\n", a...)
		fmt.Fprint(stderr, packageUsage)
		return 2
	}
	// Flags may come before or after PROJECT_DIR.
	var positional []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, packageUsage)
				return 0
			}
			return usage("%v", err)
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		rest = rest[1:]
	}
	if len(positional) != 1 {
		if len(positional) == 0 {
			return usage("missing PROJECT_DIR")
		}
		return usage("expected one PROJECT_DIR, got %d: %s", len(positional), strings.Join(positional, " "))
	}
	if *format != "text" && *format != "json" {
		return usage("--format must be text or json, not %q", *format)
	}
	if *printTemplate && *format == "json" {
		return usage("--print-template prints the template itself; it cannot be combined with --format json")
	}
	if *image != "" && !*container {
		return usage("--image needs --container")
	}
	if *timeout <= 0 {
		return usage("--timeout must be positive")
	}
	mode, ok := map[string]effective.OverlayMode{"merge": effective.MergeIntoStage, "replace": effective.ReplaceStage,
		"user-params": effective.UserParams}[*stageConfigMode]
	if !ok {
		return usage("--stage-config-mode must be merge, replace or user-params, not %q", *stageConfigMode)
	}
	var sc map[string]any
	if *stageConfig != "" {
		raw := []byte(*stageConfig)
		where := "--stage-config"
		if strings.HasPrefix(*stageConfig, "@") {
			b, err := safefile.Read((*stageConfig)[1:])
			if err != nil {
				return usage("cannot read the stage config file: %v", err)
			}
			raw, where = b, (*stageConfig)[1:]
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&sc); err != nil || sc == nil {
			if err == nil {
				err = errors.New("null is not an object")
			}
			var se *json.SyntaxError
			if errors.As(err, &se) && where != "--stage-config" {
				where += ":" + strconv.Itoa(lineOf(raw, int(se.Offset)))
			}
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				err = fmt.Errorf("got a JSON %s", te.Value)
			}
			return usage("%s: the stage config must be a JSON object: %v", where, err)
		}
		if dec.More() {
			return usage("%s holds more than one JSON value", where)
		}
	}

	p := New(Options{CacheDir: *cacheDir})
	res, err := p.Package(ctx, Request{
		SourceDir: positional[0], Stage: *stage, StageConfig: sc, StageConfigMode: mode, OutDir: *out,
		Python: *python, Timeout: *timeout,
		Package: PackageConfig{UseContainer: *container, Image: *image},
	})
	if err != nil {
		fmt.Fprintf(stderr, "chalice-lsp package: %v\n", err)
		var pe *Error
		if errors.As(err, &pe) && pe.Class == ClassFailed && len(pe.Output) > 0 {
			fmt.Fprintf(stderr, "\nchalice output (last lines):\n%s\n", tail(pe.Output, 25))
		}
		if pe != nil && (pe.Class == ClassBadRequest || pe.Class == ClassNotProject || pe.Class == ClassIO) {
			return 2 // usage or I/O, as in check
		}
		return 1
	}
	if *printTemplate {
		stdout.Write(res.Template.Source)
		if n := len(res.Template.Source); n == 0 || res.Template.Source[n-1] != '\n' {
			fmt.Fprintln(stdout)
		}
		return 0
	}
	rs := make([]resourceJSON, 0, len(res.Template.Resources))
	for _, r := range res.Template.Resources {
		rs = append(rs, resourceJSON{LogicalID: r.LogicalID, Type: r.Type})
	}
	if *format == "json" {
		b, _ := json.MarshalIndent(packageJSON{Stage: res.Stage, TemplatePath: res.TemplatePath, Resources: rs,
			Cached: res.Cached, DurationMs: res.Duration.Milliseconds(), Fixups: res.Fixups}, "", "  ")
		fmt.Fprintf(stdout, "%s\n", b)
		return 0
	}
	how := "packaged"
	if res.Cached {
		how = "from cache"
	}
	fmt.Fprintf(stdout, "stage %s: %d resources (%s, %s)\ntemplate: %s\n\n", res.Stage, len(rs), how, res.Duration.Round(time.Millisecond), res.TemplatePath)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGICAL ID\tTYPE")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\n", r.LogicalID, r.Type)
	}
	tw.Flush()
	for _, f := range res.Fixups {
		fmt.Fprintf(stdout, "\nfixed: %s\n", f)
	}
	return 0
}
