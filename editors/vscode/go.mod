// This go.mod only fences the extension off from the Go module at the
// repository root: `go test ./...` and `go vet ./...` there must not walk into
// node_modules (npm packages such as flatted ship Go sources). Nothing here is Go.
module github.com/chalice-lsp/chalice-lsp/editors/vscode

go 1.26
