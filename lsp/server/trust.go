package server

// Workspace trust. Packaging imports and runs the project's app.py, so it must
// never start from anything a repository can trigger by itself: a code action the
// client requests automatically or on save (a repository's .vscode/settings.json
// can ask for `"editor.codeActionsOnSave": {"source.chalice": "explicit"}`), or a
// command the client sends without a user gesture. In an untrusted workspace the
// server offers no packaging action to automatic requests, and runs a packaging
// command only when the client says the user confirmed it or the user confirms it
// in a window/showMessageRequest prompt.

import (
	"context"
	"fmt"

	"github.com/chalice-lsp/chalice-lsp/internal/analysis"
	"github.com/chalice-lsp/chalice-lsp/internal/settings"

	"go.lsp.dev/protocol"
)

// trusted reports whether the workspace may run its own code: the client said it
// is trusted at initialize, or automatic packaging is on (the VS Code extension
// turns it on when the user grants trust; a user who enables it everywhere has
// trusted every workspace).
func trusted(st settings.Settings) bool {
	return st.Trusted || st.AutomaticPackaging()
}

// automaticCodeAction reports whether a code-action request was made without the
// user asking for actions: triggerKind Automatic, which is what VS Code sends for
// code actions on save (with `only`) and on cursor moves. A request that does not
// say (no triggerKind, before LSP 3.17) cannot be told apart from the user's
// "Source Action…"; the action is offered, and running it in an untrusted
// workspace still needs the user's confirmation (confirmPackaging).
func automaticCodeAction(p *protocol.CodeActionParams) bool {
	return p.Context.TriggerKind == protocol.CodeActionTriggerKindAutomatic
}

// confirmTitle is the prompt's action that runs packaging.
const confirmTitle = "Package anyway"

// confirmPackaging returns nil when packaging t may run: a trusted workspace, a
// command the client marks as confirmed by the user, or the user's answer to a
// prompt. Otherwise it returns why nothing ran.
func (s *Server) confirmPackaging(ctx context.Context, snap *analysis.Snapshot, t analysis.Target, args CommandArgs) error {
	if trusted(snap.Settings()) || args.Confirmed {
		return nil
	}
	item, err := s.client.ShowMessageRequest(ctx, &protocol.ShowMessageRequestParams{
		Type: protocol.MessageTypeWarning,
		Message: fmt.Sprintf("This workspace is not trusted. Packaging %s runs `chalice package`, which imports and runs its app.py (and the interpreter its .venv names). Package it anyway?",
			t.Project.Dir),
		Actions: []protocol.MessageActionItem{{Title: confirmTitle}, {Title: "Cancel"}},
	})
	if err == nil && item != nil && item.Title == confirmTitle {
		s.logf(protocol.MessageTypeInfo, "packaging %s in an untrusted workspace: confirmed by the user", t.Project.Dir)
		return nil
	}
	return fmt.Errorf("not packaged: the workspace is not trusted and packaging was not confirmed (packaging imports and runs %s/app.py); trust the workspace, or confirm the prompt", t.Project.Dir)
}
