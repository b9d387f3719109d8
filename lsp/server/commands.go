package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/lsp/rpc"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Command IDs (workspace/executeCommand). Editor clients may bind them to menus.
const (
	// CmdPackagePreview packages the project (with the construct's stage_config
	// when invoked on a CDK construct call) and opens the merged SAM template.
	CmdPackagePreview = "chalice-lsp.packagePreview"
	// CmdEffectiveConfig shows the resolved settings per function for a stage as a
	// generated JSON document.
	CmdEffectiveConfig = "chalice-lsp.previewEffectiveConfig"
)

// Commands lists the commands the server executes.
func Commands() []string { return []string{CmdPackagePreview, CmdEffectiveConfig} }

// CommandArgs is the single argument object of both commands.
type CommandArgs struct {
	// URI is a config.json, app.py or CDK source file of the project.
	URI string `json:"uri"`
	// Stage overrides the stage ("" = the construct's stage, the stage setting, dev).
	Stage string `json:"stage,omitempty"`
	// Offset selects a construct call in a CDK file (byte offset; -1 or absent = the
	// first construct, or the project of a config.json/app.py).
	Offset *int `json:"offset,omitempty"`
	// Confirmed is set by a client when the user explicitly ran the command (a menu
	// or palette, not a code action) and confirmed that the workspace's code may
	// run. Without it, packaging in an untrusted workspace asks the user first.
	// Code actions never carry it.
	Confirmed bool `json:"confirmed,omitempty"`
}

// CommandResult is what executeCommand returns.
type CommandResult struct {
	// Path is the file shown (template or effective-config preview).
	Path string `json:"path"`
	// Cached is true when packaging was answered from the cache.
	Cached bool `json:"cached,omitempty"`
	// Shown is true when the client accepted window/showDocument.
	Shown bool `json:"shown"`
}

// ExecuteCommand implements protocol.Server. It runs concurrently with other
// requests (lsp/rpc releases the read loop), is cancelled by $/cancelRequest, by a
// progress cancel and by shutdown, and honours the client's workDoneToken.
func (s *Server) ExecuteCommand(ctx context.Context, p *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	var args CommandArgs
	if len(p.Arguments) != 1 || json.Unmarshal(p.Arguments[0], &args) != nil || args.URI == "" {
		return nil, rpc.InvalidParams("%s takes one argument {\"uri\": <file of a Chalice project or CDK app>, \"stage\"?: string, \"offset\"?: number}", p.Command)
	}
	u, err := uri.Parse(args.URI)
	if err != nil {
		return nil, rpc.InvalidParams("%s: bad uri %q: %v", p.Command, args.URI, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()

	snap := s.snapshot()
	t, err := s.commandTarget(snap, u, args)
	if err != nil {
		return nil, err
	}
	var res CommandResult
	switch p.Command {
	case CmdPackagePreview:
		if err := s.confirmPackaging(ctx, snap, t, args); err != nil {
			return nil, err
		}
		r, err := s.runPackage(ctx, snap, t, p.WorkDoneToken, true)
		if err != nil {
			if ctx.Err() != nil {
				return nil, protocol.ErrRequestCancelled
			}
			return nil, fmt.Errorf("packaging %s (stage %s) failed: %w", t.Project.Dir, t.Stage, err)
		}
		res.Path, res.Cached = r.TemplatePath, r.Cached
	case CmdEffectiveConfig:
		path, err := s.writeEffectiveConfig(snap, t)
		if err != nil {
			return nil, err
		}
		res.Path = path
	default:
		return nil, rpc.MethodNotFound(p.Command)
	}
	res.Shown = s.show(ctx, res.Path)
	return json.Marshal(res)
}

// show opens path in the client, or tells the user where it is.
func (s *Server) show(ctx context.Context, path string) bool {
	if s.caps.showDocument {
		r, err := s.client.ShowDocument(ctx, &protocol.ShowDocumentParams{URI: uri.File(path), TakeFocus: ptr(true)})
		if err == nil && r != nil && r.Success {
			return true
		}
	}
	s.showf(protocol.MessageTypeInfo, "chalice-lsp wrote %s", path)
	return false
}

func ptr[T any](v T) *T { return &v }

// commandTarget resolves the project, stage and stage config a command is about:
// in CDK code (open or not) the construct call at the offset, else the project
// of the file.
func (s *Server) commandTarget(snap *analysis.Snapshot, u uri.URI, args CommandArgs) (analysis.Target, error) {
	path := pathOf(u)
	if path == "" {
		return analysis.Target{}, rpc.InvalidParams("%s is not a file URI", u)
	}
	if k := classify(path); k == kindPython || k == kindGo {
		if f := snap.CDK(path); f != nil {
			off := -1
			if args.Offset != nil {
				off = *args.Offset
			}
			if t, ok := cdkTargetAt(snap, f, off); ok {
				if args.Stage != "" {
					t.Stage = args.Stage
				}
				return t, nil
			}
		}
	}
	p := snap.ProjectFor(path)
	if p == nil {
		return analysis.Target{}, fmt.Errorf("%s is not inside a Chalice project (a folder with .chalice/config.json and app.py)", path)
	}
	stage := args.Stage
	if stage == "" {
		stage = snap.Settings().EffectiveStage()
	}
	return analysis.Target{Project: p, Stage: stage}, nil
}

// writeEffectiveConfig renders the effective configuration of t to a file in the
// cache directory (never into the user's project) and returns its path.
func (s *Server) writeEffectiveConfig(snap *analysis.Snapshot, t analysis.Target) (string, error) {
	cfg := effective.EffectiveConfigOverlay(snap.Config(t.Project), t.Stage, snap.Functions(t.Project), t.Overlay)
	h := sha256.Sum256([]byte(t.Key()))
	root, err := s.pkgr.EnsureCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "previews", hex.EncodeToString(h[:8]))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot create the preview folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, fmt.Sprintf("effective-config-%s.json", safeName(t.Stage)))
	if err := os.WriteFile(path, cfg.JSON(), 0o600); err != nil {
		return "", fmt.Errorf("cannot write the preview %s: %w", path, err)
	}
	return path, nil
}

func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "dev"
	}
	// A file name holds at most 255 bytes: a long stage name keeps its start and
	// a hash of the whole, so distinct stages still get distinct previews.
	if len(b) > 64 {
		h := sha256.Sum256([]byte(s))
		return string(b[:48]) + "-" + hex.EncodeToString(h[:6])
	}
	return string(b)
}
